import type { Server as HttpServer } from 'node:http';
import { createAdapter } from '@socket.io/mongo-adapter';
import mongoose from 'mongoose';
import { Server } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../shared/realtime';
import type { Config } from '../config';
import type { Logger } from '../logger';
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

/** Servers whose pushes also reach sockets on other app nodes. */
const crossNode = new WeakSet<RealtimeServer>();

/**
 * Whether `room` may have sockets anywhere: with pushes local to this node, an empty local
 * room is empty; across nodes, this node cannot tell without asking the others, so yes.
 */
export function mayHaveListeners(io: RealtimeServer, room: string): boolean {
  return crossNode.has(io) || (io.of('/').adapter.rooms.get(room)?.size ?? 0) > 0;
}

/** The collection app nodes pass pushes through with REALTIME_ADAPTER=mongodb. */
export const ADAPTER_COLLECTION = 'socketio_adapter_events';
/**
 * How long a pass-through message is kept. Nodes read it within milliseconds; the margin
 * lets a node whose change stream was cut resume without losing pushes.
 */
const ADAPTER_TTL_SECONDS = 600;

/**
 * With `mongodb`, makes every push reach sockets on all app nodes: each emit is written to
 * {@link ADAPTER_COLLECTION} and every node reads it with a change stream. Checks first that
 * the database offers change streams (MongoDB needs a replica set), so a misconfigured
 * deployment refuses to start instead of pushing only to the sockets of the node that
 * handled the request. With `none` (one node) nothing changes.
 */
export async function useCrossNodeAdapter(
  io: RealtimeServer,
  kind: Config['realtimeAdapter'],
  logger: Logger,
): Promise<void> {
  if (kind === 'none') return;
  const db = mongoose.connection.db;
  if (!db) throw new Error('REALTIME_ADAPTER=mongodb: the database is not connected');
  const collection = db.collection(ADAPTER_COLLECTION);
  // The adapter stamps createdAt on each message (addCreatedAtField); expired ones go.
  await collection.createIndex({ createdAt: 1 }, { expireAfterSeconds: ADAPTER_TTL_SECONDS });
  const probe = collection.watch([], { maxAwaitTimeMS: 1 });
  try {
    await probe.tryNext();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `REALTIME_ADAPTER=mongodb needs change streams, which MongoDB offers on a replica set only (${reason})`,
      { cause: error },
    );
  } finally {
    await probe.close();
  }
  io.adapter(createAdapter(collection, { addCreatedAtField: true }));
  crossNode.add(io);
  logger.info({ collection: ADAPTER_COLLECTION }, 'realtime adapter: mongodb (cross-node push)');
}
