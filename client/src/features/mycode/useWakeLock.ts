import { useEffect } from 'react';

/** Keeps the screen on while the code is shown (where the Wake Lock API exists). */
export function useWakeLock(): void {
  useEffect(() => {
    if (!('wakeLock' in navigator)) return;
    let sentinel: WakeLockSentinel | null = null;
    let released = false;
    const acquire = async () => {
      if (document.visibilityState !== 'visible' || released) return;
      try {
        sentinel = await navigator.wakeLock.request('screen');
        if (released) void sentinel.release();
      } catch {
        // Battery saver or a denied permission: the code still works, the screen may dim.
      }
    };
    // The lock is dropped whenever the page is hidden; take it again on return.
    const onVisible = () => void acquire();
    document.addEventListener('visibilitychange', onVisible);
    void acquire();
    return () => {
      released = true;
      document.removeEventListener('visibilitychange', onVisible);
      void sentinel?.release().catch(() => undefined);
    };
  }, []);
}
