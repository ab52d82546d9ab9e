import { useEffect, useState } from 'react';
import {
  EXCHANGE_LIMITS,
  type BadgeCodeResponse,
  type ExchangeCodeResponse,
} from '../../../../shared/exchange';
import { apiRequest, ApiError } from '../../api';

/** Refresh at this share of a code's life, so the one on screen never expires. */
const REFRESH_AT = 0.75;
const RETRY_MS = [1_000, 2_000, 5_000, 10_000];

export type ExchangeCodeState =
  | { status: 'loading' }
  | { status: 'ready'; code: ExchangeCodeResponse }
  | { status: 'error'; offline: boolean; code: ExchangeCodeResponse | null };

/**
 * The on-screen exchange code, fetched and then replaced before it expires. The old code
 * stays on screen until the new one has arrived, so the QR never blanks or flickers.
 */
export function useExchangeCode(eventId: string | null, attempt: number): ExchangeCodeState {
  const [state, setState] = useState<ExchangeCodeState>({ status: 'loading' });

  useEffect(() => {
    if (!eventId) return;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let current: ExchangeCodeResponse | null = null;
    let failures = 0;
    // The device clock may be off; the code's own life is measured from when it arrived.
    let dueAt = 0;

    const load = async () => {
      clearTimeout(timer);
      try {
        const code = await apiRequest<ExchangeCodeResponse>(
          `/events/${encodeURIComponent(eventId)}/exchange-code`,
        );
        if (cancelled) return;
        current = code;
        failures = 0;
        setState({ status: 'ready', code });
        const claimed = Date.parse(code.expiresAt) - Date.now();
        const ttl = EXCHANGE_LIMITS.codeTtlSeconds * 1000;
        const life = claimed > 5_000 && claimed <= ttl ? claimed : ttl;
        dueAt = Date.now() + life * REFRESH_AT;
        timer = setTimeout(() => void load(), life * REFRESH_AT);
      } catch (err) {
        if (cancelled) return;
        const offline = !(err instanceof ApiError);
        const stillValid = current && Date.parse(current.expiresAt) > Date.now() + 5_000;
        setState(
          stillValid && current
            ? { status: 'ready', code: current }
            : { status: 'error', offline, code: current },
        );
        // A refusal (not a member, signed out) will not fix itself by retrying quickly.
        const wait = offline
          ? (RETRY_MS[Math.min(failures, RETRY_MS.length - 1)] ?? 10_000)
          : 30_000;
        failures += 1;
        timer = setTimeout(() => void load(), wait);
      }
    };

    // A phone that slept with the code open may come back with an expired one.
    const onVisible = () => {
      if (document.visibilityState === 'visible' && Date.now() >= dueAt) void load();
    };
    const onOnline = () => void load();
    document.addEventListener('visibilitychange', onVisible);
    window.addEventListener('online', onOnline);
    void load();
    return () => {
      cancelled = true;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisible);
      window.removeEventListener('online', onOnline);
    };
  }, [eventId, attempt]);

  return state;
}

function badgeKey(userId: string, eventId: string): string {
  return `coopetition.badge.${userId}.${eventId}`;
}

/**
 * The long-lived badge code: written to NFC stickers, shared as a link, and shown when the
 * phone is offline (it is kept on the phone for that).
 */
export function useBadgeCode(userId: string | null, eventId: string | null) {
  const [badge, setBadge] = useState<BadgeCodeResponse | null>(() => {
    if (!userId || !eventId) return null;
    try {
      const raw = localStorage.getItem(badgeKey(userId, eventId));
      return raw ? (JSON.parse(raw) as BadgeCodeResponse) : null;
    } catch {
      return null;
    }
  });

  useEffect(() => {
    if (!userId || !eventId) return;
    let cancelled = false;
    apiRequest<BadgeCodeResponse>(`/events/${encodeURIComponent(eventId)}/badge-code`).then(
      (next) => {
        if (cancelled) return;
        localStorage.setItem(badgeKey(userId, eventId), JSON.stringify(next));
        setBadge(next);
      },
      () => undefined, // offline: keep the saved one
    );
    return () => {
      cancelled = true;
    };
  }, [userId, eventId]);

  return badge;
}
