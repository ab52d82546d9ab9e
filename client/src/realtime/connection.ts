import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../shared/realtime';
import { getAccessToken, refreshAccessToken } from '../api';
import { publish } from './bus';

type AppSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** The one socket of the app, while someone is signed in. */
let socket: AppSocket | null = null;
const statsWatchers = new Map<string, Set<(live: boolean) => void>>();

function subscribeStats(target: AppSocket, eventId: string): void {
  target.emit('stats:subscribe', { eventId }, (ack) => {
    for (const watcher of statsWatchers.get(eventId) ?? []) watcher(ack.ok);
  });
}

/**
 * Opens the live connection. Pushes are a speed-up, not the guarantee: after any
 * reconnect, `resync` tells screens to refetch what they show over REST.
 */
export function connectRealtime(): () => void {
  const current: AppSocket = io({
    path: '/socket.io',
    transports: ['websocket', 'polling'],
    // A callback, so every reconnect presents the current (refreshed) token.
    auth: (send) => send({ token: getAccessToken() ?? '' }),
    reconnectionDelay: 1_000,
    reconnectionDelayMax: 10_000,
  });
  socket = current;

  let connectedBefore = false;
  current.on('connect', () => {
    // Rooms do not survive a reconnect: ask again for the live stats being watched.
    for (const eventId of statsWatchers.keys()) subscribeStats(current, eventId);
    if (connectedBefore) publish('resync', { at: Date.now() });
    connectedBefore = true;
  });

  current.on('disconnect', () => {
    for (const watchers of statsWatchers.values()) for (const watcher of watchers) watcher(false);
  });

  current.on('connect_error', () => {
    // Refused by the server (not a network failure): the token expired while the phone
    // slept. Refresh it, then try again; the auth callback sends the new one.
    if (current.active) return;
    refreshAccessToken().then(
      (token) => {
        if (token && socket === current) current.connect();
      },
      () => undefined,
    );
  });

  current.on('handshake:created', (payload) => publish('handshake:created', payload));
  current.on('contact:updated', (payload) => publish('contact:updated', payload));
  current.on('match:cooperation', (payload) => publish('match:cooperation', payload));
  current.on('event:stats', (payload) => publish('event:stats', payload));
  current.on('lead:updated', (payload) => publish('lead:updated', payload));
  current.on('session:ready', (payload) => publish('session:ready', payload));

  return () => {
    if (socket === current) socket = null;
    current.removeAllListeners();
    current.disconnect();
  };
}

/**
 * Organizers: receive `event:stats` pushes for an event while watched. `onLive` says
 * whether the subscription is active (false while disconnected or refused).
 */
export function watchEventStats(eventId: string, onLive: (live: boolean) => void): () => void {
  let watchers = statsWatchers.get(eventId);
  if (!watchers) {
    watchers = new Set();
    statsWatchers.set(eventId, watchers);
  }
  watchers.add(onLive);
  if (socket?.connected && watchers.size === 1) subscribeStats(socket, eventId);
  else if (socket?.connected) onLive(true);
  return () => {
    watchers.delete(onLive);
    if (watchers.size > 0) return;
    statsWatchers.delete(eventId);
    socket?.emit('stats:unsubscribe', { eventId });
  };
}
