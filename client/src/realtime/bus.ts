import type { ServerToClientEvents } from '../../../shared/realtime';

/**
 * What screens listen to: the server's pushes, plus `resync` after a reconnect (a push
 * may have been missed while the socket was down, so lists refetch over REST).
 * Kept apart from the socket itself so screens never load socket.io-client.
 */
export type RealtimeEvents = {
  [K in keyof ServerToClientEvents]: Parameters<ServerToClientEvents[K]>[0];
} & { resync: { at: number } };

type Handler<K extends keyof RealtimeEvents> = (payload: RealtimeEvents[K]) => void;

const handlers = new Map<keyof RealtimeEvents, Set<(payload: never) => void>>();

export function subscribe<K extends keyof RealtimeEvents>(
  event: K,
  handler: Handler<K>,
): () => void {
  let set = handlers.get(event);
  if (!set) {
    set = new Set();
    handlers.set(event, set);
  }
  set.add(handler as (payload: never) => void);
  return () => set.delete(handler as (payload: never) => void);
}

export function publish<K extends keyof RealtimeEvents>(
  event: K,
  payload: RealtimeEvents[K],
): void {
  for (const handler of handlers.get(event) ?? []) (handler as Handler<K>)(payload);
}
