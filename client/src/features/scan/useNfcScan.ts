import { useCallback, useEffect, useRef, useState } from 'react';
import {
  createNdefReader,
  nfcSupported,
  readNdefText,
  type NdefReadingEventLike,
} from '../mycode/web-nfc';

export type NfcState = 'unsupported' | 'idle' | 'listening' | 'error';

/** Reads NFC badges (Chrome on Android) once the person asks; stops when the screen closes. */
export function useNfcScan(onRead: (text: string) => void) {
  const [state, setState] = useState<NfcState>(() => (nfcSupported() ? 'idle' : 'unsupported'));
  const controller = useRef<AbortController | null>(null);
  const onReadRef = useRef(onRead);

  useEffect(() => {
    onReadRef.current = onRead;
  });

  useEffect(() => () => controller.current?.abort(), []);

  const start = useCallback(async () => {
    const reader = createNdefReader();
    if (!reader) return;
    controller.current?.abort();
    const abort = new AbortController();
    controller.current = abort;
    try {
      // Web NFC needs a user gesture for its permission prompt: this runs from a tap.
      await reader.scan({ signal: abort.signal });
      reader.addEventListener(
        'reading',
        (event) => {
          const text = readNdefText(event as NdefReadingEventLike);
          if (text) onReadRef.current(text);
        },
        { signal: abort.signal },
      );
      setState('listening');
    } catch {
      setState('error');
    }
  }, []);

  return { state, start };
}
