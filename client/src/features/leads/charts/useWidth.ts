import { useEffect, useRef, useState } from 'react';

/**
 * The rendered width of an element, so charts draw at real pixel size and their
 * labels stay readable on a phone instead of shrinking with a fixed viewBox.
 */
export function useWidth<T extends HTMLElement>(fallback = 320) {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const node = ref.current;
    if (!node) return;
    setWidth(Math.max(200, Math.floor(node.clientWidth)));
    const observer = new ResizeObserver((entries) => {
      const entry = entries[0];
      if (entry) setWidth(Math.max(200, Math.floor(entry.contentRect.width)));
    });
    observer.observe(node);
    return () => observer.disconnect();
  }, []);
  return { ref, width };
}
