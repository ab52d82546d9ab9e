/**
 * Cross-node push: two real server processes (the production entry point) share one
 * database with REALTIME_ADAPTER=mongodb, and a push emitted on one node reaches sockets
 * connected to the other. The shared database is the embedded store, started here on a
 * free port as `npm run db` would run it.
 */
import { randomBytes } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EventDto } from '../../shared/events';
import type { ExchangeCodeResponse, HandshakeResponse } from '../../shared/exchange';
import type {
  ClientToServerEvents,
  RealtimeHandshakeCreated,
  ServerToClientEvents,
} from '../../shared/realtime';
import { loadConfig } from '../../server/src/config';
import { startEmbeddedStore, type EmbeddedStore } from '../../server/src/db/embedded';
import { createTestEvent, joinTestEvent, registerUser, type TestUser } from '../helpers/accounts';
import { requestJson } from '../helpers/http';
import { startProductionServer, type ProductionServer } from '../helpers/production';
import { openSocket } from './exchange.fixtures';
import { assertTestDatabase } from '../helpers/server';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Every `handshake:created` a socket receives, in order. */
function handshakesSeen(socket: ClientSocket): RealtimeHandshakeCreated[] {
  const seen: RealtimeHandshakeCreated[] = [];
  socket.on('handshake:created', (payload) => seen.push(payload));
  return seen;
}

/** Resolves with the first `handshake:created` the socket receives. */
function nextHandshake(socket: ClientSocket): Promise<RealtimeHandshakeCreated> {
  return new Promise((resolve) => socket.once('handshake:created', resolve));
}

async function saveCard(baseUrl: string, user: TestUser, fullName: string): Promise<void> {
  const res = await requestJson(`${baseUrl}/api/me/card`, {
    method: 'PUT',
    headers: user.headers,
    body: { fullName, company: 'Açaí Robotics' },
  });
  if (res.status !== 200) throw new Error(`card failed: ${res.status} ${JSON.stringify(res.body)}`);
}

describe('cross-node push with REALTIME_ADAPTER=mongodb', () => {
  let store: EmbeddedStore;
  let nodeA: ProductionServer;
  let nodeB: ProductionServer;
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    store = await startEmbeddedStore({ port: 0 });
    const dbName = `test_${randomBytes(6).toString('hex')}`;
    assertTestDatabase(dbName);
    // Same database and same secret on both nodes, as behind a load balancer.
    const shared = {
      MONGODB_URI: `${store.uri}/${dbName}`,
      JWT_SECRET: randomBytes(32).toString('base64url'),
      REALTIME_ADAPTER: 'mongodb',
    };
    [nodeA, nodeB] = await Promise.all([
      startProductionServer(shared),
      startProductionServer(shared),
    ]);
  }, 60_000);
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.disconnect();
  });
  afterAll(async () => {
    await Promise.all([nodeA?.stop(), nodeB?.stop()]);
    await store?.close();
  });

  it("Alice on node B is told of Bob's scan posted to node A; nobody else is", async () => {
    const [organizer, alice, bob, carol] = await Promise.all([
      registerUser(nodeA.url, { name: 'Olga Organizer' }),
      registerUser(nodeB.url, { name: 'Éloïse Müller' }),
      registerUser(nodeA.url, { name: 'Bob Martin' }),
      registerUser(nodeB.url, { name: 'Carol Bystander' }),
    ]);
    await Promise.all([
      saveCard(nodeB.url, alice, 'Éloïse Müller'),
      saveCard(nodeA.url, bob, 'Bob Martin'),
      saveCard(nodeB.url, carol, 'Carol Bystander'),
    ]);
    const event: EventDto = await createTestEvent(nodeA.url, organizer);
    await Promise.all([
      joinTestEvent(nodeB.url, alice, event.joinCode),
      joinTestEvent(nodeA.url, bob, event.joinCode),
      joinTestEvent(nodeB.url, carol, event.joinCode),
    ]);

    const [aliceOnB, bobOnA, carolOnB, carolOnA] = await Promise.all([
      openSocket(nodeB, alice),
      openSocket(nodeA, bob),
      openSocket(nodeB, carol),
      openSocket(nodeA, carol),
    ]);
    sockets.push(aliceOnB, bobOnA, carolOnB, carolOnA);
    const toAlice = nextHandshake(aliceOnB);
    const toBob = nextHandshake(bobOnA);
    const aliceSeen = handshakesSeen(aliceOnB);
    const carolSeen = [carolOnB, carolOnA].map(handshakesSeen);

    // Alice shows her code (served by node B); Bob scans it through node A.
    const code = await requestJson<ExchangeCodeResponse>(
      `${nodeB.url}/api/events/${event.id}/exchange-code`,
      { headers: alice.headers },
    );
    expect(code.status).toBe(200);
    const scan = await requestJson<HandshakeResponse>(
      `${nodeA.url}/api/events/${event.id}/handshakes`,
      { method: 'POST', headers: bob.headers, body: { code: code.body.token, method: 'qr' } },
    );
    expect(scan.status).toBe(201);

    const [pushedToAlice, pushedToBob] = await Promise.all([toAlice, toBob]);
    expect(pushedToAlice).toMatchObject({
      handshakeId: scan.body.handshake.id,
      eventId: event.id,
      other: { userId: bob.user.id, fullName: 'Bob Martin' },
      initiatedByMe: false,
      method: 'qr',
    });
    expect(pushedToBob).toMatchObject({
      handshakeId: scan.body.handshake.id,
      other: { userId: alice.user.id, fullName: 'Éloïse Müller' },
      initiatedByMe: true,
    });

    // Then Alice scans Carol through node B. Its pushes come after everything above on both
    // nodes, so once they arrived Carol's sockets show whether anything else reached them.
    const carolCode = await requestJson<ExchangeCodeResponse>(
      `${nodeB.url}/api/events/${event.id}/exchange-code`,
      { headers: carol.headers },
    );
    const marker = nextHandshake(aliceOnB);
    const aliceScansCarol = await requestJson<HandshakeResponse>(
      `${nodeB.url}/api/events/${event.id}/handshakes`,
      {
        method: 'POST',
        headers: alice.headers,
        body: { code: carolCode.body.token, method: 'qr' },
      },
    );
    expect(aliceScansCarol.status).toBe(201);
    await marker;
    expect(aliceSeen.map((p) => p.other.userId)).toEqual([bob.user.id, carol.user.id]);
    // Carol was told of her own handshake with Alice, on both of her sockets, and of nothing else.
    for (const seen of carolSeen) {
      await expect.poll(() => seen.length).toBe(1);
      expect(seen.map((p) => p.other.userId)).toEqual([alice.user.id]);
    }
  });
});

describe('REALTIME_ADAPTER configuration', () => {
  it('refuses to start with mongodb but no shared database (MONGODB_URI)', async () => {
    const started = startProductionServer({ REALTIME_ADAPTER: 'mongodb' });
    await expect(started).rejects.toThrow(
      /exited with 78[\s\S]*REALTIME_ADAPTER[\s\S]*MONGODB_URI/,
    );
  });

  it('defaults to none (one node) and accepts only none or mongodb', () => {
    expect(loadConfig({}).realtimeAdapter).toBe('none');
    expect(
      loadConfig({ REALTIME_ADAPTER: 'mongodb', MONGODB_URI: 'mongodb://db.example.org/app' })
        .realtimeAdapter,
    ).toBe('mongodb');
    expect(() => loadConfig({ REALTIME_ADAPTER: 'redis' })).toThrow(
      /REALTIME_ADAPTER: Invalid option: expected one of "none"\|"mongodb"/,
    );
  });
});
