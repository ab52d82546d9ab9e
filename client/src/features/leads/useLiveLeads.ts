import { useEffect, useRef } from 'react';
import { useRealtimeEvent } from '../../realtime/useRealtime';

/** Pushes arriving within this window are answered by one refetch. */
const COALESCE_MS = 1_000;

/**
 * Calls `refresh` when the team's staff capture or meet a lead (`lead:updated`) and after a
 * reconnect (`resync`, pushes may have been missed). A busy stand sends a burst of pushes:
 * the first schedules one refetch a moment later and the rest of the burst joins it, so
 * the board refetches at most about once a second.
 */
export function useLiveLeads(teamId: string, refresh: () => void): void {
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const latest = useRef(refresh);
  useEffect(() => {
    latest.current = refresh;
  });
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
      timer.current = null;
    },
    [teamId],
  );
  const schedule = () => {
    if (timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      latest.current();
    }, COALESCE_MS);
  };
  useRealtimeEvent('lead:updated', (payload) => {
    if (payload.teamId === teamId) schedule();
  });
  useRealtimeEvent('resync', schedule);
}
