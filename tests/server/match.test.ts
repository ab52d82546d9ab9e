import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ContactDto, ContactListResponse } from '../../shared/contacts';
import { joinTestEvent } from '../helpers/accounts';
import { requestJson } from '../helpers/http';
import { startTestServer, type TestServer } from '../helpers/server';
import {
  collect,
  exchangeCode,
  exchangeWorld,
  openSocket,
  patchContact,
  scan,
  settle,
  userWithCard,
  waitForCount,
  type ClientSocket,
} from './exchange.fixtures';

describe('co-operation match, and competition never leaks', () => {
  let server: TestServer;
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

  it('matches once when both tag co-operation; a competition tag is never shown to the other', async () => {
    const { alice, bob, event } = await exchangeWorld(server);
    const [aliceSocket, bobSocket] = await Promise.all([
      openSocket(server, alice),
      openSocket(server, bob),
    ]);
    sockets.push(aliceSocket, bobSocket);
    const aliceMatches = collect(aliceSocket, 'match:cooperation');
    const bobMatches = collect(bobSocket, 'match:cooperation');
    const aliceUpdates = collect(aliceSocket, 'contact:updated');
    const aliceHandshakes = collect(aliceSocket, 'handshake:created');
    /** Everything Alice's client receives, to check that Bob's tag never appears. */
    const aliceSaw: unknown[] = [];

    const code = await exchangeCode(server, bob, event.id);
    const scanned = await scan(server, alice, event.id, { code: code.token, method: 'qr' });
    aliceSaw.push(scanned.body);
    const aliceContact = scanned.body.contact;
    const bobList = await requestJson<ContactListResponse>(`${server.url}/api/contacts`, {
      headers: bob.headers,
    });
    const bobContact = bobList.body.items[0] as ContactDto;

    // Bob privately files Alice as competition; Alice tags Bob co-operation.
    const bobTag = await patchContact(server, bob, bobContact.id, { tag: 'competition' });
    expect(bobTag.body.contact.tag).toBe('competition');
    const aliceTag = await patchContact(server, alice, aliceContact.id, { tag: 'cooperation' });
    aliceSaw.push(aliceTag.body);
    expect(aliceTag.body.contact).toMatchObject({ tag: 'cooperation', cooperationMatchedAt: null });

    // Alice scans again and re-reads everything she can.
    const again = await scan(server, alice, event.id, { code: code.shortCode, method: 'manual' });
    aliceSaw.push(again.body);
    for (const path of ['/api/contacts', `/api/contacts/${aliceContact.id}`, '/api/me/export']) {
      const res = await requestJson(`${server.url}${path}`, { headers: alice.headers });
      aliceSaw.push(res.body);
    }
    await settle();
    aliceSaw.push(aliceUpdates, aliceHandshakes);
    expect(aliceMatches).toEqual([]);
    expect(bobMatches).toEqual([]);
    expect(JSON.stringify(aliceSaw)).not.toContain('competition');

    // Bob changes his mind: now both co-operate → one match each, with their own contact.
    const bobCoop = await patchContact(server, bob, bobContact.id, { tag: 'cooperation' });
    expect(bobCoop.status).toBe(200);
    expect(bobCoop.body.contact.cooperationMatchedAt).not.toBeNull();
    const [toAlice] = await waitForCount(aliceMatches, 1);
    const [toBob] = await waitForCount(bobMatches, 1);
    expect(toAlice).toEqual({
      eventId: event.id,
      contactId: aliceContact.id,
      other: { userId: bob.user.id, fullName: 'Bob Martin', company: 'BigCorp' },
      matchedAt: bobCoop.body.contact.cooperationMatchedAt,
    });
    expect(toBob).toEqual({
      eventId: event.id,
      contactId: bobContact.id,
      other: { userId: alice.user.id, fullName: 'Éloïse Müller-Ørsted', company: 'Açaí Robotics' },
      matchedAt: bobCoop.body.contact.cooperationMatchedAt,
    });
    const aliceNow = await requestJson<{ contact: ContactDto }>(
      `${server.url}/api/contacts/${aliceContact.id}`,
      { headers: alice.headers },
    );
    expect(aliceNow.body.contact.cooperationMatchedAt).toBe(
      bobCoop.body.contact.cooperationMatchedAt,
    );

    // Re-tagging does not match twice.
    await patchContact(server, bob, bobContact.id, { tag: 'none' });
    await patchContact(server, bob, bobContact.id, { tag: 'cooperation' });
    await patchContact(server, alice, aliceContact.id, { tag: 'cooperation' });
    await settle();
    expect(aliceMatches).toHaveLength(1);
    expect(bobMatches).toHaveLength(1);
  });

  it('two people tagging each other at the same moment still match exactly once', async () => {
    const { bob, event } = await exchangeWorld(server);
    const carol = await userWithCard(server, { fullName: 'Carol Chen', company: 'Startup' });
    await joinTestEvent(server.url, carol, event.joinCode);
    const code = await exchangeCode(server, carol, event.id);
    const scanned = await scan(server, bob, event.id, { code: code.token, method: 'qr' });
    const carolList = await requestJson<ContactListResponse>(`${server.url}/api/contacts`, {
      headers: carol.headers,
    });
    const carolContact = carolList.body.items[0] as ContactDto;
    const [bobSocket, carolSocket] = await Promise.all([
      openSocket(server, bob),
      openSocket(server, carol),
    ]);
    sockets.push(bobSocket, carolSocket);
    const bobMatches = collect(bobSocket, 'match:cooperation');
    const carolMatches = collect(carolSocket, 'match:cooperation');
    await Promise.all([
      patchContact(server, bob, scanned.body.contact.id, { tag: 'cooperation' }),
      patchContact(server, carol, carolContact.id, { tag: 'cooperation' }),
    ]);
    await waitForCount(bobMatches, 1);
    await waitForCount(carolMatches, 1);
    await settle();
    expect(bobMatches).toHaveLength(1);
    expect(carolMatches).toHaveLength(1);
  });
});
