/**
 * Load-generator parts of `npm run bench`: a keep-alive HTTP client with bounded
 * concurrency, the connected sockets, and the tracker that times a handshake from the
 * moment its POST is sent until BOTH people's sockets received `handshake:created`.
 */
import http from 'node:http';
import { io as connect, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/realtime';

export type BenchSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface HttpResult {
  status: number;
  body: string;
}

/** Plain `http.request` on a keep-alive agent: far less client overhead than fetch. */
export function createHttpClient(baseUrl: string, maxSockets: number) {
  const url = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  function request(
    method: string,
    path: string,
    headers: Record<string, string> = {},
    body?: string,
  ): Promise<HttpResult> {
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          method,
          path,
          headers: body
            ? {
                ...headers,
                'content-type': 'application/json',
                'content-length': Buffer.byteLength(body),
              }
            : headers,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      if (body) req.write(body);
      req.end();
    });
  }
  return { request, close: () => agent.destroy() };
}

/** Opens `tokens.length` authenticated sockets, `batch` at a time. */
export async function connectSockets(
  baseUrl: string,
  tokens: string[],
  batch = 100,
): Promise<BenchSocket[]> {
  const sockets: BenchSocket[] = [];
  for (let from = 0; from < tokens.length; from += batch) {
    const opened = await Promise.all(
      tokens.slice(from, from + batch).map(
        (token) =>
          new Promise<BenchSocket>((resolve, reject) => {
            const socket: BenchSocket = connect(baseUrl, {
              path: '/socket.io',
              transports: ['websocket'],
              auth: { token },
              reconnection: false,
              forceNew: true,
            });
            socket.once('session:ready', () => resolve(socket));
            socket.once('connect_error', reject);
          }),
      ),
    );
    sockets.push(...opened);
  }
  return sockets;
}

const pairOf = (a: string, b: string) => (a < b ? `${a}:${b}` : `${b}:${a}`);

interface Pending {
  sentAt: number;
  sides: number;
  resolve: (latencyMs: number) => void;
}

/**
 * Matches `handshake:created` pushes to the POST that caused them. Each push names the
 * receiver's counterpart, so (receiver, other) identifies the pair.
 */
export class HandshakeTracker {
  private readonly pending = new Map<string, Pending>();
  stray = 0;

  listen(socket: BenchSocket, userId: string): void {
    socket.on('handshake:created', (payload) => {
      const entry = this.pending.get(pairOf(userId, payload.other.userId));
      if (!entry) {
        this.stray += 1;
        return;
      }
      entry.sides += 1;
      if (entry.sides === 2) {
        this.pending.delete(pairOf(userId, payload.other.userId));
        entry.resolve(performance.now() - entry.sentAt);
      }
    });
  }

  /** Call right before sending; resolves with ms until both pushes arrived. */
  expect(a: string, b: string, timeoutMs = 10_000): Promise<number> {
    return new Promise((resolve, reject) => {
      const key = pairOf(a, b);
      const timer = setTimeout(() => {
        this.pending.delete(key);
        reject(new Error('push timeout'));
      }, timeoutMs);
      this.pending.set(key, {
        sentAt: performance.now(),
        sides: 0,
        resolve: (ms) => {
          clearTimeout(timer);
          resolve(ms);
        },
      });
    });
  }
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}
