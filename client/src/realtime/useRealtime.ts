import { useEffect, useRef } from 'react';
import { subscribe, type RealtimeEvents } from './bus';

/** Calls `handler` for each push of `event` while the component is mounted. */
export function useRealtimeEvent<K extends keyof RealtimeEvents>(
  event: K,
  handler: (payload: RealtimeEvents[K]) => void,
): void {
  const latest = useRef(handler);
  useEffect(() => {
    latest.current = handler;
  });
  useEffect(() => subscribe(event, (payload) => latest.current(payload)), [event]);
}
