import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, NetworkError } from '../../api';
import type { MessageKey } from '../../i18n/catalog';

export type LoadState<T> =
  | { status: 'loading'; data: T | null; error: null }
  | { status: 'ready'; data: T; error: null }
  | { status: 'error'; data: T | null; error: unknown };

/**
 * Loads data for a screen and reloads when `key` changes. Earlier answers that arrive
 * late are dropped (the request is aborted), so a fast typist never sees stale results.
 * Keeps the previous data while reloading so lists do not flash back to skeletons.
 */
export function useLoad<T>(key: string, load: (signal: AbortSignal) => Promise<T>) {
  const [state, setState] = useState<LoadState<T>>({ status: 'loading', data: null, error: null });
  const [attempt, setAttempt] = useState(0);
  const loader = useRef(load);
  useEffect(() => {
    loader.current = load;
  });

  useEffect(() => {
    const controller = new AbortController();
    setState((prev) => ({ status: 'loading', data: prev.data, error: null }));
    loader.current(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ status: 'ready', data, error: null });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setState((prev) => ({ status: 'error', data: prev.data, error }));
      },
    );
    return () => controller.abort();
  }, [key, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return {
    ...state,
    reload,
    setData: (data: T) => setState({ status: 'ready', data, error: null }),
  };
}

/** What to tell people, never a raw code: known codes get their own sentence. */
export function errorMessageKey(error: unknown): MessageKey {
  if (error instanceof NetworkError) return 'error.network';
  if (error instanceof ApiError) {
    if (error.status === 404) return 'teams.error.notFound';
    if (error.status === 403) return 'teams.error.forbidden';
    if (error.status === 401) return 'teams.error.signedOut';
    if (error.status === 429) return 'teams.error.rateLimited';
  }
  return 'error.generic';
}

export function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}
