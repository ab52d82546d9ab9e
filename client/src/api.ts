import type { ApiErrorBody } from '../../shared/api';
import { newClientRef } from './features/offline/client-ref';

/** An error the server answered with its `{error:{code,message}}` envelope. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The request never got an answer (offline, venue wifi, server down). */
export class NetworkError extends Error {
  constructor() {
    super('network_unavailable');
    this.name = 'NetworkError';
  }
}

function isErrorBody(value: unknown): value is ApiErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const { error } = value as { error: unknown };
  return typeof error === 'object' && error !== null && 'code' in error;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Leave the Authorization header off (public pages, the refresh call itself). */
  anonymous?: boolean;
}

/*
 * The access token lives in memory only (never in storage, so a script injected into
 * the page cannot lift a long-lived credential); the httpOnly refresh cookie renews it.
 */
let accessToken: string | null = null;
let refreshing: Promise<string | null> | null = null;
const tokenListeners = new Set<(token: string | null) => void>();
const sessionLostListeners = new Set<() => void>();

export function getAccessToken(): string | null {
  return accessToken;
}

export function setAccessToken(token: string | null): void {
  accessToken = token;
  for (const listener of tokenListeners) listener(token);
}

/** Notified whenever the token changes (sign-in, refresh, sign-out, refresh refused). */
export function onAccessTokenChange(listener: (token: string | null) => void): () => void {
  tokenListeners.add(listener);
  return () => tokenListeners.delete(listener);
}

/** Notified when the server refuses the refresh cookie: the session is over. */
export function onSessionLost(listener: () => void): () => void {
  sessionLostListeners.add(listener);
  return () => sessionLostListeners.delete(listener);
}

/**
 * Trades the refresh cookie for a new access token. Concurrent callers share one call:
 * the refresh token rotates, and a second parallel use would look like a replay.
 * Resolves null when the session is gone; throws NetworkError when offline.
 */
export function refreshAccessToken(): Promise<string | null> {
  refreshing ??= (async () => {
    try {
      const { accessToken: next } = await acrossTabs(async () => {
        // The same key until an answer arrives: if the server rotated the cookie but its
        // answer was lost on the way, the retry is recognised as such, not as a replay.
        const key = currentRefreshKey();
        const answer = await send<{ accessToken: string }>('/auth/refresh', {
          method: 'POST',
          anonymous: true,
          headers: { 'Idempotency-Key': key },
        }).catch((err: unknown) => {
          if (err instanceof ApiError) clearRefreshKey();
          throw err;
        });
        clearRefreshKey();
        return answer;
      });
      setAccessToken(next);
      return next;
    } catch (err) {
      if (err instanceof ApiError) {
        setAccessToken(null);
        for (const listener of sessionLostListeners) listener();
        return null;
      }
      throw err;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

/**
 * The `Idempotency-Key` of the refresh in progress, kept in localStorage (shared by the
 * tabs, which refresh one at a time, and surviving a reload) until an answer arrives.
 */
const REFRESH_KEY = 'coopetition.refreshKey';

function currentRefreshKey(): string {
  try {
    const kept = localStorage.getItem(REFRESH_KEY);
    if (kept) return kept;
    const fresh = newClientRef();
    localStorage.setItem(REFRESH_KEY, fresh);
    return fresh;
  } catch {
    // Storage refused (private mode): a key for this attempt only.
    return newClientRef();
  }
}

function clearRefreshKey(): void {
  try {
    localStorage.removeItem(REFRESH_KEY);
  } catch {
    // Nothing was kept.
  }
}

/**
 * Two tabs refreshing at once would present the same rotating cookie twice, which the
 * server treats as theft and answers by revoking the session. One tab at a time: the
 * second one then sends the cookie the first one received.
 */
function acrossTabs<T>(task: () => Promise<T>): Promise<T> {
  if (typeof navigator === 'undefined' || !navigator.locks) return task();
  return navigator.locks.request('coopetition-auth-refresh', task) as Promise<T>;
}

async function rawFetch(path: string, options: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (!options.anonymous && accessToken) headers.Authorization = `Bearer ${accessToken}`;
  try {
    return await fetch(`/api${path}`, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new NetworkError();
  }
}

async function toError(response: Response): Promise<ApiError> {
  const payload: unknown = await response.json().catch(() => undefined);
  if (isErrorBody(payload)) {
    const { code, message, details } = payload.error;
    return new ApiError(response.status, code, message, details);
  }
  return new ApiError(response.status, 'http_error', response.statusText);
}

/** Fetches with the bearer token; one transparent refresh and retry on an expired token. */
async function authorizedFetch(path: string, options: RequestOptions): Promise<Response> {
  const response = await rawFetch(path, options);
  if (response.status !== 401 || options.anonymous || !accessToken) return response;
  const error = await toError(response.clone());
  if (error.code !== 'token_expired') return response;
  const next = await refreshAccessToken();
  if (!next) return response;
  return rawFetch(path, options);
}

async function send<T>(path: string, options: RequestOptions): Promise<T> {
  const response = await authorizedFetch(path, options);
  if (!response.ok) throw await toError(response);
  if (response.status === 204) return undefined as T;
  return (await response.json().catch(() => undefined)) as T;
}

/** Calls the API and returns the parsed JSON, or throws ApiError / NetworkError. */
export function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  return send<T>(path, options);
}

/**
 * Downloads a file the API serves behind auth (vCard, CSV, my data) and hands it to the
 * browser as a saved file: a plain link cannot carry the Authorization header.
 */
export async function apiDownload(path: string, fallbackName: string): Promise<void> {
  const response = await authorizedFetch(path, { headers: { Accept: '*/*' } });
  if (!response.ok) throw await toError(response);
  const blob = await response.blob();
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
  const name = match?.[1] ? decodeURIComponent(match[1]) : fallbackName;
  saveBlob(blob, name);
}

/** Saves a Blob under a file name through a temporary object URL. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // Some mobile browsers read the URL after click() returns; revoke a little later.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
