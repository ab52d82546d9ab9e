import { useCallback, useEffect, useRef, useState } from 'react';
import type { RealtimeEventStats } from '../../../../shared/realtime';
import type { EventStatsDto } from '../../../../shared/stats';
import { useRealtimeEvent } from '../../realtime/useRealtime';
import { watchEventStats } from '../../realtime/connection';
import { pulseApi } from './pulseApi';

/** The network and top startups are heavier: refetch them at most this often while live. */
const FULL_REFRESH_MS = 5_000;

export type PulseState =
  | { status: 'loading' }
  | { status: 'error'; error: unknown }
  | { status: 'ready'; stats: EventStatsDto; live: boolean; updatedAt: string };

/**
 * The organizer's pulse: the full aggregate over REST, the headline counts from each
 * throttled `event:stats` push, and a periodic REST refresh for the network and the top
 * startups (pushes carry counts only). After a reconnect everything is refetched.
 */
export function usePulse(eventId: string) {
  const [state, setState] = useState<PulseState>({ status: 'loading' });
  const [live, setLive] = useState(false);
  const lastFull = useRef(0);
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);

  const fetchFull = useCallback(async () => {
    lastFull.current = Date.now();
    try {
      const { stats } = await pulseApi.stats(eventId);
      setState({ status: 'ready', stats, live: true, updatedAt: stats.generatedAt });
    } catch (error) {
      setState((prev) => (prev.status === 'ready' ? prev : { status: 'error', error }));
    }
  }, [eventId]);

  useEffect(() => {
    setState({ status: 'loading' });
    void fetchFull();
    return () => {
      if (pending.current) clearTimeout(pending.current);
    };
  }, [fetchFull]);

  useEffect(() => watchEventStats(eventId, setLive), [eventId]);

  const scheduleFull = useCallback(() => {
    if (pending.current) return;
    const wait = Math.max(0, lastFull.current + FULL_REFRESH_MS - Date.now());
    pending.current = setTimeout(() => {
      pending.current = null;
      void fetchFull();
    }, wait);
  }, [fetchFull]);

  useRealtimeEvent('event:stats', (push: RealtimeEventStats) => {
    if (push.eventId !== eventId) return;
    setState((prev) => {
      if (prev.status !== 'ready') return prev;
      const { eventId: _id, at, ...counts } = push;
      return { ...prev, stats: { ...prev.stats, ...counts }, updatedAt: at };
    });
    scheduleFull();
  });

  useRealtimeEvent('resync', () => void fetchFull());

  return { state, live, reload: fetchFull };
}
