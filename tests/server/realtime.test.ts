import { randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/realtime';
import { deriveKey } from '../../server/src/features/auth/keys';
import { ACCESS_AUDIENCE, ACCESS_TYP, TOKEN_ISSUER } from '../../server/src/features/auth/tokens';
import { registerUser, type TestUser } from '../helpers/accounts';
import { startTestServer, type TestServer } from '../helpers/server';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
const SECRET = randomBytes(32).toString('base64url');

describe('realtime: authenticated sockets and user rooms', () => {
  let server: TestServer;
  let alice: TestUser;
  let bob: TestUser;
  const sockets: ClientSocket[] = [];

  const open = (auth: Record<string, unknown> | undefined): ClientSocket => {
    const socket: ClientSocket = connect(server.url, {
      path: '/socket.io',
      transports: ['websocket'],
      auth,
      reconnection: false,
      forceNew: true,
    });
    sockets.push(socket);
    return socket;
  };
  const refused = (socket: ClientSocket) =>
    new Promise<string>((resolve, reject) => {
      socket.once('connect', () => reject(new Error('connected')));
      socket.once('connect_error', (err) => resolve(err.message));
    });
  const ready = (socket: ClientSocket) =>
    new Promise<{ userId: string }>((resolve, reject) => {
      socket.once('session:ready', resolve);
      socket.once('connect_error', reject);
    });
  const accessToken = (userId: string, key = deriveKey(SECRET, 'access'), exp?: number) => {
    const now = Math.floor(Date.now() / 1000);
    return jwt.sign({ typ: ACCESS_TYP, iat: now, exp: exp ?? now + 600 }, key, {
      algorithm: 'HS256',
      issuer: TOKEN_ISSUER,
      audience: ACCESS_AUDIENCE,
      subject: userId,
    });
  };

  beforeAll(async () => {
    server = await startTestServer({ JWT_SECRET: SECRET });
    [alice, bob] = await Promise.all([registerUser(server.url), registerUser(server.url)]);
  });
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.disconnect();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('refuses a connection without a token', async () => {
    expect(await refused(open(undefined))).toBe('unauthorized');
    expect(await refused(open({ token: 42 }))).toBe('unauthorized');
  });

  it('refuses a bad, forged, expired or wrong-kind token', async () => {
    expect(await refused(open({ token: 'not.a.jwt' }))).toBe('invalid_token');
    const forged = accessToken(alice.user.id, deriveKey(randomBytes(32).toString('hex'), 'access'));
    expect(await refused(open({ token: forged }))).toBe('invalid_token');
    const past = Math.floor(Date.now() / 1000) - 60;
    expect(await refused(open({ token: accessToken(alice.user.id, undefined, past) }))).toBe(
      'token_expired',
    );
    const exchange = accessToken(alice.user.id, deriveKey(SECRET, 'exchange'));
    expect(await refused(open({ token: exchange }))).toBe('invalid_token');
  });

  it('joins the user room server-side: a push to user:<id> reaches only that user', async () => {
    const aliceSocket = open({ token: alice.accessToken });
    const bobSocket = open({ token: bob.accessToken });
    expect(await ready(aliceSocket)).toEqual({ userId: alice.user.id });
    await ready(bobSocket);

    const bobGot: unknown[] = [];
    bobSocket.on('contact:updated', (payload) => bobGot.push(payload));
    const received = new Promise((resolve) => aliceSocket.once('contact:updated', resolve));
    const payload = { contactId: 'c1', updatedAt: new Date().toISOString() };
    server.io.to(`user:${alice.user.id}`).emit('contact:updated', payload as never);
    expect(await received).toEqual(payload);

    // Bob's socket is alive and would have had it by now if it were in Alice's room.
    const pong = await bobSocket.timeout(2000).emitWithAck('ping');
    expect(pong.serverTime).toMatch(/^\d{4}-/);
    expect(bobGot).toEqual([]);
  });

  it('checks the token again on reconnect', async () => {
    const socket = open({ token: alice.accessToken });
    await ready(socket);
    socket.disconnect();
    socket.auth = { token: 'tampered' };
    const error = refused(socket);
    socket.connect();
    expect(await error).toBe('invalid_token');
  });

  it('drops a socket when its access token expires; the client comes back with a fresh one', async () => {
    const exp = Math.floor(Date.now() / 1000) + 2;
    let token = accessToken(alice.user.id, undefined, exp);
    const socket: ClientSocket = connect(server.url, {
      path: '/socket.io',
      transports: ['websocket'],
      auth: (send) => send({ token }),
      reconnectionDelay: 100,
      forceNew: true,
    });
    sockets.push(socket);
    await ready(socket);
    const reason = await new Promise<string>((resolve) => socket.once('disconnect', resolve));
    expect(reason).toBe('transport close');
    expect(Date.now()).toBeGreaterThanOrEqual(exp * 1000 - 50);
    // The client reconnects by itself, with whatever token it holds now.
    token = accessToken(alice.user.id);
    expect(await ready(socket)).toEqual({ userId: alice.user.id });
  });

  it('rate-limits incoming messages per socket and ignores unknown events', async () => {
    const socket = open({ token: bob.accessToken });
    await ready(socket);
    (socket as unknown as Socket).emit('admin:drop-database', { all: true });
    let answered = 0;
    const attempts = Array.from({ length: 60 }, () =>
      socket
        .timeout(1500)
        .emitWithAck('ping')
        .then(
          () => {
            answered += 1;
          },
          () => undefined,
        ),
    );
    await Promise.all(attempts);
    expect(answered).toBeGreaterThanOrEqual(19);
    expect(answered).toBeLessThanOrEqual(30);
    expect(socket.connected).toBe(true);
  });
});
