import { AppError } from '../errors';
import { verifyAccessTokenDetailed, type TokenDeps } from '../features/auth/tokens';
import type { Logger } from '../logger';
import type { RealtimeServer } from './io';
import { TokenBucket } from './rate-limit';
import { userRoom } from './rooms';

/** Incoming messages a socket may send; anything else is dropped unread. */
const CLIENT_EVENTS = new Set(['ping', 'stats:subscribe', 'stats:unsubscribe']);
const BURST = 20;
const PER_SECOND = 5;
/** A client that keeps hammering after being throttled this often is cut off. */
const MAX_DROPPED = 200;
/** setTimeout's ceiling (~24.8 days); access tokens live minutes. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface RealtimeAuthDeps extends TokenDeps {
  logger: Logger;
}

/** Errors a refused connection carries to the client (`connect_error`), as stable codes. */
export type RealtimeAuthErrorCode = 'unauthorized' | 'token_expired' | 'invalid_token';

/**
 * Every connection (and every reconnection: each is a new handshake) must present a valid
 * access token in `auth.token`. The socket joins `user:<id>` server-side, is disconnected
 * when its token expires (the client reconnects with a fresh one), and is rate limited.
 */
export function authenticateSockets(io: RealtimeServer, deps: RealtimeAuthDeps): void {
  io.use((socket, next) => {
    const auth: unknown = socket.handshake.auth;
    const token =
      typeof auth === 'object' && auth !== null ? (auth as { token?: unknown }).token : undefined;
    if (typeof token !== 'string' || token.length === 0 || token.length > 2048) {
      next(new Error('unauthorized'));
      return;
    }
    try {
      const verified = verifyAccessTokenDetailed(deps, token);
      socket.data.userId = verified.userId;
      socket.data.expiresAt = verified.expiresAtMs;
      next();
    } catch (err) {
      next(new Error(err instanceof AppError ? err.code : 'unauthorized'));
    }
  });

  io.on('connection', (socket) => {
    const { userId, expiresAt } = socket.data;
    void socket.join(userRoom(userId));

    // Closing the transport (not `socket.disconnect()`, which tells the client not to come
    // back) makes the client reconnect on its own, presenting its current token.
    const expiry = setTimeout(
      () => socket.conn.close(),
      Math.min(MAX_TIMER_MS, Math.max(0, expiresAt - Date.now())),
    );
    expiry.unref();
    socket.on('disconnect', () => clearTimeout(expiry));

    const bucket = new TokenBucket(BURST, PER_SECOND);
    let dropped = 0;
    socket.use(([event], next) => {
      if (typeof event !== 'string' || !CLIENT_EVENTS.has(event)) {
        next(new Error('unknown_event'));
        return;
      }
      if (!bucket.take()) {
        dropped += 1;
        if (dropped >= MAX_DROPPED) {
          deps.logger.warn({ userId }, 'socket disconnected for flooding');
          socket.disconnect(true);
        }
        next(new Error('rate_limited'));
        return;
      }
      next();
    });
    // Refused packets surface here; they are dropped on purpose, nothing to do.
    socket.on('error', () => undefined);

    socket.on('ping', (ack: unknown) => {
      if (typeof ack === 'function') {
        (ack as (payload: { serverTime: string }) => void)({
          serverTime: new Date().toISOString(),
        });
      }
    });

    socket.emit('session:ready', { userId });
  });
}

export { userRoom };
