import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ContactDto, ContactListResponse } from '../../shared/contacts';
import { ContactModel } from '../../server/src/features/contacts/contacts.model';
import { joinTestEvent, type TestUser } from '../helpers/accounts';
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
  type ExchangeWorld,
} from './exchange.fixtures';

describe('contacts: list, search, get and update my own', () => {
  let server: TestServer;
  let world: ExchangeWorld;
  let carol: TestUser;
  let dan: TestUser;
  /** Alice's contacts by name, in the order she met them. */
  const met: Record<string, ContactDto> = {};
  const sockets: ClientSocket[] = [];

  const list = (user: TestUser, query = '') =>
    requestJson<ContactListResponse>(`${server.url}/api/contacts${query}`, {
      headers: user.headers,
    });

  beforeAll(async () => {
    server = await startTestServer();
    world = await exchangeWorld(server);
    [carol, dan] = await Promise.all([
      userWithCard(server, { fullName: 'Zoë Ångström', company: 'Société Générale', title: 'VP' }),
      userWithCard(server, { fullName: 'Dan (Dev) Smith', company: 'A.I. Corp', title: 'Eng.' }),
    ]);
    await joinTestEvent(server.url, carol, world.event.joinCode);
    await joinTestEvent(server.url, dan, world.event.joinCode);
    for (const [name, user] of [
      ['bob', world.bob],
      ['carol', carol],
      ['dan', dan],
    ] as const) {
      const code = await exchangeCode(server, user, world.event.id);
      const res = await scan(server, world.alice, world.event.id, {
        code: code.token,
        method: 'qr',
      });
      expect(res.status).toBe(201);
      met[name] = res.body.contact;
    }
  });
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.disconnect();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('lists newest first and pages with a stable cursor', async () => {
    const all = await list(world.alice);
    expect(all.status).toBe(200);
    expect(all.body.items.map((c) => c.id)).toEqual([met.dan?.id, met.carol?.id, met.bob?.id]);
    expect(all.body.nextCursor).toBeNull();

    const seen: string[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page = await list(world.alice, `?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.body.items).toHaveLength(1);
      seen.push(...page.body.items.map((c) => c.id));
      cursor = page.body.nextCursor;
    }
    expect(seen).toEqual(all.body.items.map((c) => c.id));
  });

  it('searches name, company and title without case or accents, literally', async () => {
    const ids = async (q: string) =>
      (await list(world.alice, `?q=${encodeURIComponent(q)}`)).body.items.map((c) => c.id);
    expect(await ids('zoe')).toEqual([met.carol?.id]);
    expect(await ids('ANGSTROM')).toEqual([met.carol?.id]);
    expect(await ids('société')).toEqual([met.carol?.id]);
    expect(await ids('bigcorp')).toEqual([met.bob?.id]);
    expect(await ids('cto')).toEqual([met.bob?.id]);
    expect(await ids('a.i.')).toEqual([met.dan?.id]);
    expect(await ids('(dev)')).toEqual([met.dan?.id]);
    expect(await ids('.*')).toEqual([]);
    expect(await ids('nobody')).toEqual([]);
    // Bob's list holds only Alice.
    const bobs = await list(world.bob, '?q=zoe');
    expect(bobs.body.items).toEqual([]);
  });

  it('filters by tag (untagged = none) and by event', async () => {
    await patchContact(server, world.alice, met.bob!.id, { tag: 'cooperation' });
    await patchContact(server, world.alice, met.carol!.id, { tag: 'competition' });
    const ids = async (query: string) =>
      (await list(world.alice, query)).body.items.map((c) => c.id);
    expect(await ids('?tag=cooperation')).toEqual([met.bob?.id]);
    expect(await ids('?tag=competition')).toEqual([met.carol?.id]);
    expect(await ids('?tag=untagged')).toEqual([met.dan?.id]);
    expect(await ids(`?eventId=${world.event.id}&tag=cooperation`)).toEqual([met.bob?.id]);
    expect(await ids('?eventId=0123456789abcdef01234567')).toEqual([]);
  });

  it.each([
    ['limit=0'],
    ['limit=101'],
    ['limit=abc'],
    ['tag=friends'],
    ['tag=cooperation&tag=competition'],
    ['eventId=nope'],
    ['cursor=!!!'],
    ['cursor=Zm9v'],
    ['q[$ne]=x'],
    ['ownerId=someone'],
    [`q=${'x'.repeat(101)}`],
  ])('refuses the query %s with 400 validation_failed', async (query) => {
    const res = await list(world.alice, `?${query}`);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'validation_failed' } });
  });

  it('gets my own contact; someone else’s or a malformed id is 404', async () => {
    const mine = await requestJson<{ contact: ContactDto }>(
      `${server.url}/api/contacts/${met.bob!.id}`,
      { headers: world.alice.headers },
    );
    expect(mine.status).toBe(200);
    expect(mine.body.contact.id).toBe(met.bob?.id);
    for (const id of [met.bob!.id, 'nope', '0123456789abcdef01234567', '..%2f..']) {
      const res = await requestJson(`${server.url}/api/contacts/${id}`, {
        headers: world.bob.headers,
      });
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ error: { code: 'contact_not_found' } });
    }
    const anonymous = await requestJson(`${server.url}/api/contacts/${met.bob!.id}`);
    expect(anonymous.status).toBe(401);
  });

  it('updates tag, rating, note and follow-up and tells my other devices', async () => {
    const phone = await openSocket(server, world.alice);
    sockets.push(phone);
    const updates = collect(phone, 'contact:updated');
    const res = await patchContact(
      server,
      world.alice,
      met.dan!.id,
      {
        tag: 'competition',
        rating: 'hot',
        note: 'Met at the bar.\r\nFollow up on the pilot — déjà vu.',
        followUp: { done: false, dueAt: '2026-12-10T09:00:00.000Z' },
      },
      { 'X-Request-Id': 'req-1' },
    );
    expect(res.status).toBe(200);
    expect(res.body.contact).toMatchObject({
      id: met.dan?.id,
      tag: 'competition',
      rating: 'hot',
      note: 'Met at the bar.\nFollow up on the pilot — déjà vu.',
      followUp: { done: false, dueAt: '2026-12-10T09:00:00.000Z' },
    });
    const [pushed] = await waitForCount(updates, 1);
    expect(pushed).toEqual({
      contactId: met.dan?.id,
      updatedAt: res.body.contact.updatedAt,
      contact: res.body.contact,
      requestId: 'req-1',
    });

    const cleared = await patchContact(server, world.alice, met.dan!.id, {
      rating: null,
      note: '',
      followUp: null,
      tag: 'none',
    });
    expect(cleared.body.contact).toMatchObject({
      tag: 'none',
      rating: null,
      note: '',
      followUp: null,
    });
  });

  it.each([
    ['an empty body', {}],
    ['an unknown tag', { tag: 'friend' }],
    ['an unknown rating', { rating: 'lukewarm' }],
    ['a note too long', { note: 'x'.repeat(2001) }],
    ['a note with a NUL', { note: 'a\u0000b' }],
    ['a note as a number', { note: 5 }],
    ['followUp.done as text', { followUp: { done: 'yes' } }],
    ['followUp.dueAt not a date', { followUp: { done: false, dueAt: 'soon' } }],
    ['a $set operator', { $set: { ownerId: 'x' } }],
    ['$ne in tag', { tag: { $ne: 'none' } }],
    ['an extra field', { tag: 'none', ownerId: 'x' }],
    ['card in the body', { card: { fullName: 'Hacker' } }],
  ])('refuses %s with 400 and changes nothing', async (_label, body) => {
    const before = await ContactModel.findById(met.carol!.id).lean();
    const res = await patchContact(server, world.alice, met.carol!.id, body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'validation_failed' } });
    expect(await ContactModel.findById(met.carol!.id).lean()).toEqual(before);
  });

  it('refuses malformed JSON and another user’s contact, changing nothing', async () => {
    const before = await ContactModel.find().sort({ _id: 1 }).lean();
    const bobSocket = await openSocket(server, world.bob);
    sockets.push(bobSocket);
    const pushes = collect(bobSocket, 'contact:updated');
    const raw = await requestJson(`${server.url}/api/contacts/${met.carol!.id}`, {
      method: 'PATCH',
      headers: world.alice.headers,
      rawBody: '{"tag":',
    });
    expect(raw.status).toBe(400);
    expect(raw.body).toMatchObject({ error: { code: 'malformed_json' } });
    const foreign = await patchContact(server, world.bob, met.carol!.id, { tag: 'cooperation' });
    expect(foreign.status).toBe(404);
    expect(foreign.body).toMatchObject({ error: { code: 'contact_not_found' } });
    const malformed = await patchContact(server, world.bob, 'nope', { tag: 'cooperation' });
    expect(malformed.status).toBe(404);
    expect(await ContactModel.find().sort({ _id: 1 }).lean()).toEqual(before);
    await settle();
    expect(pushes).toEqual([]);
  });
});
