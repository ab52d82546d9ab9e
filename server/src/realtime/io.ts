import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../shared/realtime';

/** What the server keeps on each socket once it is authenticated. */
export interface SocketData {
  userId: string;
}

export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, never, SocketData>;

/** Socket.io on the app's HTTP server: same origin only, small frames. */
export function createRealtimeServer(httpServer: HttpServer): RealtimeServer {
  return new Server<ClientToServerEvents, ServerToClientEvents, never, SocketData>(httpServer, {
    path: '/socket.io',
    serveClient: false,
    maxHttpBufferSize: 16 * 1024,
    pingInterval: 25_000,
    pingTimeout: 20_000,
    connectionStateRecovery: undefined,
  });
}
