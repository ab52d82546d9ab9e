import {
  ApiError,
  getAccessToken,
  NetworkError,
  onAccessTokenChange,
  refreshAccessToken,
} from '../../api';
import { postHandshake, type HandshakeOutcome } from './handshake-api';
import { newClientRef } from './client-ref';
import { getOutboxItems, loadOutbox, putOutboxItem, removeOutboxItem } from './outbox-store';
import type { OutboxItem, ScanInput } from './types';

/**
 * Sends what the outbox holds. Rules: the same clientRef on every attempt; an item leaves
 * the outbox only after a 200/201; no answer, a 5xx, 408, 429 or an auth hiccup means
 * "try again later" (backoff); any other 4xx is the server's final word, kept as failed
 * with its reason and never retried automatically.
 */
export type SendResult =
  | { kind: 'synced'; outcome: HandshakeOutcome }
  | { kind: 'pending' }
  | { kind: 'failed'; error: { code: string; message: string } };

const RETRY_BASE_MS = 2_000;
const RETRY_MAX_MS = 60_000;
/** Venue wifi can hang a request for a minute; give up sooner and keep the scan queued. */
const REQUEST_TIMEOUT_MS = 12_000;

let ownerId: string | null = null;
const inFlight = new Map<string, Promise<SendResult>>();
const syncedListeners = new Set<(clientRef: string, outcome: HandshakeOutcome) => void>();
let retryTimer: ReturnType<typeof setTimeout> | undefined;
let drivers = 0;
let stopDriver: (() => void) | undefined;

function backoff(attempts: number): number {
  const exp = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.max(0, attempts - 1));
  // Jitter spreads 800 phones coming back online at the same second.
  return Math.round(exp * (0.75 + Math.random() * 0.5));
}

function isTransient(err: unknown): boolean {
  if (err instanceof NetworkError) return true;
  if (err instanceof DOMException) return true; // timeout or abort
  if (err instanceof ApiError) {
    return err.status >= 500 || err.status === 408 || err.status === 429 || err.status === 401;
  }
  return true;
}

/** Whose scans this phone may send now (null when signed out). */
export function setOutboxOwner(id: string | null): void {
  if (ownerId === id) return;
  ownerId = id;
  if (id) void syncNow();
}

/** Called when the server has acknowledged a scan (whoever sent it). */
export function onScanSynced(
  listener: (clientRef: string, outcome: HandshakeOutcome) => void,
): () => void {
  syncedListeners.add(listener);
  return () => syncedListeners.delete(listener);
}

/**
 * Stores a scan on the phone (IndexedDB) and only then returns it; the caller tries the
 * network with `sendScan` afterwards, so a scan survives a crash or reload mid-request.
 */
export async function enqueueScan(owner: string, scan: ScanInput): Promise<OutboxItem> {
  await loadOutbox();
  const item: OutboxItem = {
    ...scan,
    clientRef: newClientRef(),
    ownerId: owner,
    scannedAt: new Date().toISOString(),
    status: 'pending',
    attempts: 0,
    nextAttemptAt: Date.now(),
  };
  await putOutboxItem(item);
  return item;
}

/** Tries to send one item now; concurrent calls for the same item share one request. */
export function sendScan(clientRef: string): Promise<SendResult> {
  const running = inFlight.get(clientRef);
  if (running) return running;
  const attempt = attemptSend(clientRef).finally(() => inFlight.delete(clientRef));
  inFlight.set(clientRef, attempt);
  return attempt;
}

async function attemptSend(clientRef: string): Promise<SendResult> {
  const item = getOutboxItems().find((i) => i.clientRef === clientRef);
  if (!item) return { kind: 'pending' };
  if (item.status === 'failed' && item.error) return { kind: 'failed', error: item.error };
  if (!getAccessToken()) {
    // Offline start: no token yet. The driver fetches one and sends when it can.
    scheduleRetry();
    return { kind: 'pending' };
  }
  try {
    // An earlier attempt may have reached the server while its answer was lost: the retry
    // (same clientRef) gets that handshake back uncounted, so a first scan still reads as
    // new (see postHandshake), and an offline scan of someone met before as "already".
    const result = await postHandshake(item, AbortSignal.timeout(REQUEST_TIMEOUT_MS));
    await removeOutboxItem(clientRef);
    for (const listener of syncedListeners) listener(clientRef, result);
    return { kind: 'synced', outcome: result };
  } catch (err) {
    if (isTransient(err)) {
      const attempts = item.attempts + 1;
      await putOutboxItem({ ...item, attempts, nextAttemptAt: Date.now() + backoff(attempts) });
      scheduleRetry();
      return { kind: 'pending' };
    }
    const error =
      err instanceof ApiError
        ? { code: err.code, message: err.message }
        : { code: 'unknown', message: String(err) };
    await putOutboxItem({ ...item, status: 'failed', error });
    return { kind: 'failed', error };
  }
}

/**
 * A token to send with. After an offline start the app has none; the browser's "online"
 * event is not reliable (captive portals, flaky venue wifi), so the retry timer asks too.
 */
let tokenFailures = 0;
async function ensureToken(): Promise<boolean> {
  if (getAccessToken()) return true;
  try {
    const token = await refreshAccessToken();
    tokenFailures = 0;
    return token !== null;
  } catch {
    tokenFailures += 1;
    return false;
  }
}

/** Sends every due scan of the signed-in person; `force` ignores the backoff clock. */
export async function syncNow(force = false): Promise<void> {
  await loadOutbox();
  if (!ownerId) return;
  const now = Date.now();
  const due = getOutboxItems().filter(
    (i) => i.ownerId === ownerId && i.status === 'pending' && (force || i.nextAttemptAt <= now),
  );
  if (due.length === 0) {
    scheduleRetry();
    return;
  }
  if (!(await ensureToken())) {
    scheduleRetry(backoff(tokenFailures));
    return;
  }
  // One at a time, oldest first: keeps the log in scan order and the radio calm.
  for (const item of due) {
    const result = await sendScan(item.clientRef);
    if (result.kind === 'pending' && !force) break;
  }
  scheduleRetry();
}

function scheduleRetry(notBefore = 0): void {
  clearTimeout(retryTimer);
  if (drivers === 0 || !ownerId) return;
  const pending = getOutboxItems().filter((i) => i.ownerId === ownerId && i.status === 'pending');
  if (pending.length === 0) return;
  const next = Math.min(...pending.map((i) => i.nextAttemptAt));
  const wait = Math.max(500, notBefore, next - Date.now());
  retryTimer = setTimeout(() => void syncNow(), wait);
}

/** Drops a failed scan the person has seen. */
export function dismissScan(clientRef: string): Promise<void> {
  return removeOutboxItem(clientRef);
}

/**
 * Keeps the outbox flowing while the app is open: at start, when the connection or a
 * token comes back, when the app returns to the foreground, and on a backoff timer.
 * Reference-counted so several mounted hooks share one driver.
 */
export function startOutboxDriver(): () => void {
  drivers += 1;
  if (drivers === 1) {
    const kick = () => void syncNow(true);
    const onVisible = () => {
      if (document.visibilityState === 'visible') void syncNow();
    };
    window.addEventListener('online', kick);
    document.addEventListener('visibilitychange', onVisible);
    const offToken = onAccessTokenChange((token) => {
      if (token) kick();
    });
    void syncNow();
    stopDriver = () => {
      window.removeEventListener('online', kick);
      document.removeEventListener('visibilitychange', onVisible);
      offToken();
      clearTimeout(retryTimer);
    };
  }
  return () => {
    drivers -= 1;
    if (drivers === 0) stopDriver?.();
  };
}
