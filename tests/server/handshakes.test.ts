import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ContactListResponse } from '../../shared/contacts';
import { HandshakeModel } from '../../server/src/features/exchange/exchange.model';
import { registerUser } from '../helpers/accounts';
import { requestJson } from '../helpers/http';
import { startTestServer, type TestServer } from '../helpers/server';
import {
  collect,
  exchangeCode,
  exchangeWorld,
  openSocket,
  scan,
  settle,
  userWithCard,
  waitForCount,
  type ClientSocket,
  type ExchangeWorld,
} from './exchange.fixtures';

describe('handshakes: scanning a code', () => {
  let server: TestServer;
  let world: ExchangeWorld;
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.disconnect();
  });
  afterAll(async () => {
    await server?.close();
  });

  async function freshWorld(): Promise<ExchangeWorld> {
    world = await exchangeWorld(server);
    return world;
  }

  it('Alice scans Bob: 201, both get a contact and both are told over the socket', async () => {
    const { alice, bob, event } = await freshWorld();
    const [aliceSocket, bobSocket] = await Promise.all([
      openSocket(server, alice),
      openSocket(server, bob),
    ]);
    sockets.push(aliceSocket, bobSocket);
    const toAlice = collect(aliceSocket, 'handshake:created');
    const toBob = collect(bobSocket, 'handshake:created');

    const code = await exchangeCode(server, bob, event.id);
    const res = await scan(server, alice, event.id, { code: code.token, method: 'qr' });
    expect(res.status).toBe(201);
    const { handshake, contact } = res.body;
    expect(handshake).toMatchObject({
      eventId: event.id,
      otherUserId: bob.user.id,
      initiatedByMe: true,
      method: 'qr',
      scanCount: 1,
      mutual: false,
    });
    expect(contact).toMatchObject({
      otherUserId: bob.user.id,
      eventIds: [event.id],
      tag: 'none',
      rating: null,
      note: '',
      followUp: null,
      cooperationMatchedAt: null,
    });
    // Bob hid his email: the snapshot carries only what he shows.
    expect(contact.card).toEqual({
      fullName: 'Bob Martin',
      title: 'CTO',
      company: 'BigCorp',
    });

    const [aliceMsg] = await waitForCount(toAlice, 1);
    const [bobMsg] = await waitForCount(toBob, 1);
    expect(aliceMsg).toMatchObject({
      handshakeId: handshake.id,
      eventId: event.id,
      contactId: contact.id,
      initiatedByMe: true,
      mutual: false,
      other: { userId: bob.user.id, fullName: 'Bob Martin', company: 'BigCorp', title: 'CTO' },
    });
    expect(bobMsg).toMatchObject({
      handshakeId: handshake.id,
      initiatedByMe: false,
      other: { userId: alice.user.id, fullName: 'Éloïse Müller-Ørsted' },
    });
    expect(bobMsg?.contactId).not.toBe(contact.id);

    const bobContacts = await requestJson<ContactListResponse>(`${server.url}/api/contacts`, {
      headers: bob.headers,
    });
    expect(bobContacts.body.items).toHaveLength(1);
    expect(bobContacts.body.items[0]).toMatchObject({
      id: bobMsg?.contactId,
      otherUserId: alice.user.id,
      card: {
        fullName: 'Éloïse Müller-Ørsted',
        company: 'Açaí Robotics',
        email: 'eloise@example.org',
        phone: '+33612345678',
      },
    });
    const aliceContacts = await requestJson<ContactListResponse>(`${server.url}/api/contacts`, {
      headers: alice.headers,
    });
    expect(aliceContacts.body.items.map((c) => c.id)).toEqual([contact.id]);

    // Bob scans back: the same handshake, now mutual; still one document.
    const back = await exchangeCode(server, alice, event.id);
    const res2 = await scan(server, bob, event.id, { code: back.url, method: 'qr' });
    expect(res2.status).toBe(200);
    expect(res2.body.handshake).toMatchObject({
      id: handshake.id,
      initiatedByMe: false,
      otherUserId: alice.user.id,
      mutual: true,
      scanCount: 2,
    });
    expect(res2.body.contact.id).toBe(bobMsg?.contactId);
    await waitForCount(toAlice, 2);
    expect(toAlice[1]).toMatchObject({ handshakeId: handshake.id, mutual: true });
    expect(await HandshakeModel.countDocuments({ eventId: event.id })).toBe(1);
  });

  it('accepts the full URL and the short code in any case, with spaces', async () => {
    const { alice, bob, event } = await freshWorld();
    const code = await exchangeCode(server, bob, event.id);
    const viaUrl = await scan(server, alice, event.id, { code: code.url, method: 'link' });
    expect(viaUrl.status).toBe(201);

    const carol = await userWithCard(server, { fullName: 'Carol Chen', company: 'Startup' });
    await requestJson(`${server.url}/api/events/join`, {
      method: 'POST',
      headers: carol.headers,
      body: { joinCode: event.joinCode },
    });
    const typed = `${code.shortCode.slice(0, 3).toLowerCase()} ${code.shortCode.slice(3)}`;
    const viaShort = await scan(server, carol, event.id, { code: typed, method: 'manual' });
    expect(viaShort.status).toBe(201);
    expect(viaShort.body.handshake).toMatchObject({ otherUserId: bob.user.id, method: 'manual' });
  });

  it('a retried clientRef and the Idempotency-Key header answer 200 with the same handshake', async () => {
    const { alice, bob, event } = await freshWorld();
    const code = await exchangeCode(server, bob, event.id);
    const body = { code: code.token, method: 'qr', clientRef: 'scan-1' };
    const first = await scan(server, alice, event.id, body);
    const again = await scan(server, alice, event.id, body);
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body.handshake).toEqual(first.body.handshake);

    const viaHeader = await scan(
      server,
      alice,
      event.id,
      { code: code.token, method: 'qr' },
      { 'Idempotency-Key': 'scan-1' },
    );
    expect(viaHeader.status).toBe(200);
    expect(viaHeader.body.handshake.scanCount).toBe(1);

    // A new clientRef is a real re-scan: counted once.
    const rescan = await scan(server, alice, event.id, { ...body, clientRef: 'scan-2' });
    expect(rescan.status).toBe(200);
    expect(rescan.body.handshake.scanCount).toBe(2);
    expect(await HandshakeModel.countDocuments({ eventId: event.id })).toBe(1);
  });

  it('ten concurrent identical posts: exactly one 201, one document, counted once, pushed once', async () => {
    const { alice, bob, event } = await freshWorld();
    const bobSocket = await openSocket(server, bob);
    sockets.push(bobSocket);
    const toBob = collect(bobSocket, 'handshake:created');
    const code = await exchangeCode(server, bob, event.id);
    const body = { code: code.token, method: 'qr', clientRef: 'offline-42' };
    const results = await Promise.all(
      Array.from({ length: 10 }, () => scan(server, alice, event.id, body)),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    const ids = new Set(results.map((r) => r.body.handshake.id));
    expect(ids.size).toBe(1);
    const docs = await HandshakeModel.find({ eventId: event.id }).lean();
    expect(docs).toHaveLength(1);
    expect(docs[0]?.scanCount).toBe(1);
    expect(docs[0]?.clientRefs).toEqual([`${alice.user.id}:offline-42`]);
    const contacts = new Set(results.map((r) => r.body.contact.id));
    expect(contacts.size).toBe(1);
    await waitForCount(toBob, 1);
    await settle();
    expect(toBob).toHaveLength(1);
  });

  it('ten concurrent first scans of the same pair without clientRef still make one handshake', async () => {
    const { alice, bob, event } = await freshWorld();
    const code = await exchangeCode(server, bob, event.id);
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        scan(server, alice, event.id, { code: code.token, method: 'qr' }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 200)).toHaveLength(9);
    const docs = await HandshakeModel.find({ eventId: event.id }).lean();
    expect(docs).toHaveLength(1);
    expect(docs[0]?.scanCount).toBe(10);
  });

  it('the same pair at another event is another handshake, and the contact lists both events', async () => {
    const { organizer, alice, bob, event } = await freshWorld();
    const code = await exchangeCode(server, bob, event.id);
    const first = await scan(server, alice, event.id, { code: code.token, method: 'qr' });
    expect(first.status).toBe(201);

    const res = await requestJson<{ event: { id: string; joinCode: string } }>(
      `${server.url}/api/events`,
      {
        method: 'POST',
        headers: organizer.headers,
        body: {
          name: 'Day two',
          startsAt: '2026-12-02T17:00:00.000Z',
          endsAt: '2026-12-02T23:00:00.000Z',
        },
      },
    );
    const second = res.body.event;
    for (const user of [alice, bob]) {
      await requestJson(`${server.url}/api/events/join`, {
        method: 'POST',
        headers: user.headers,
        body: { joinCode: second.joinCode },
      });
    }
    const code2 = await exchangeCode(server, bob, second.id);
    const again = await scan(server, alice, second.id, { code: code2.token, method: 'qr' });
    expect(again.status).toBe(201);
    expect(again.body.handshake.id).not.toBe(first.body.handshake.id);
    expect(again.body.contact.id).toBe(first.body.contact.id);
    expect(again.body.contact.eventIds).toEqual([event.id, second.id]);
  });

  it('a user without a saved card is shown by their account name', async () => {
    const { alice, event } = await freshWorld();
    const nocard = await registerUser(server.url, { name: 'Dana NoCard' });
    await requestJson(`${server.url}/api/events/join`, {
      method: 'POST',
      headers: nocard.headers,
      body: { joinCode: event.joinCode },
    });
    const code = await exchangeCode(server, nocard, event.id);
    const res = await scan(server, alice, event.id, { code: code.token, method: 'qr' });
    expect(res.status).toBe(201);
    expect(res.body.contact.card).toEqual({ fullName: 'Dana NoCard' });
  });
});
