import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../shared/realtime';
import { authenticateSockets, type RealtimeAuthDeps } from './auth';

/** What the server keeps on each socket once it is authenticated. */
export interface SocketData {
  userId: string;
  /** When the access token presented at connect expires (ms since the epoch). */
  expiresAt: number;
}

export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, never, SocketData>;

/**
 * Socket.io on the app's HTTP server: same origin only, small frames, and only
 * authenticated sockets (see {@link authenticateSockets}).
 */
export function createRealtimeServer(
  httpServer: HttpServer,
  deps: RealtimeAuthDeps,
): RealtimeServer {
  const io = new Server<ClientToServerEvents, ServerToClientEvents, never, SocketData>(httpServer, {
    path: '/socket.io',
    serveClient: false,
    maxHttpBufferSize: 16 * 1024,
    pingInterval: 25_000,
    pingTimeout: 20_000,
    connectionStateRecovery: undefined,
  });
  authenticateSockets(io, deps);
  return io;
}
