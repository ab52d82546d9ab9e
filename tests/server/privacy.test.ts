import { Types } from 'mongoose';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MeResponse } from '../../shared/auth';
import type { ContactResponse } from '../../shared/contacts';
import type { ExchangeCodeResponse, HandshakeResponse } from '../../shared/exchange';
import type { MyDataExport } from '../../shared/privacy';
import type { TeamInviteResponse, TeamResponse } from '../../shared/teams';
import { SessionModel, UserModel } from '../../server/src/features/auth/auth.model';
import { CardModel } from '../../server/src/features/cards/cards.model';
import { ContactModel } from '../../server/src/features/contacts/contacts.model';
import { EventModel, MembershipModel } from '../../server/src/features/events/events.model';
import { HandshakeModel } from '../../server/src/features/exchange/exchange.model';
import { TeamModel } from '../../server/src/features/teams/teams.model';
import { createTestEvent, joinTestEvent, registerUser, type TestUser } from '../helpers/accounts';
import { requestJson } from '../helpers/http';
import { startTestServer, type TestServer } from '../helpers/server';

type ErrorBody = { error: { code: string; message: string } };

describe('privacy: export my data, delete my account', () => {
  let server: TestServer;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  let eventId: string;
  const url = (path: string) => `${server.url}${path}`;

  /** `scanner` scans `shown`'s on-screen code. */
  async function scan(scanner: TestUser, shown: TestUser): Promise<HandshakeResponse> {
    const code = await requestJson<ExchangeCodeResponse>(
      url(`/api/events/${eventId}/exchange-code`),
      {
        headers: shown.headers,
      },
    );
    const res = await requestJson<HandshakeResponse>(url(`/api/events/${eventId}/handshakes`), {
      method: 'POST',
      headers: scanner.headers,
      body: { code: code.body.token, method: 'qr' },
    });
    expect([200, 201]).toContain(res.status);
    return res.body;
  }

  beforeAll(async () => {
    server = await startTestServer();
    [alice, bob, carol] = await Promise.all([
      registerUser(server.url, { name: 'Alice Martin' }),
      registerUser(server.url, { name: 'Bob Ørsted' }),
      registerUser(server.url, { name: 'Carol Dupont' }),
    ]);
    const event = await createTestEvent(server.url, bob, { name: "Bob's night" });
    eventId = event.id;
    await joinTestEvent(server.url, alice, event.joinCode);
    await joinTestEvent(server.url, carol, event.joinCode);
    const first = await scan(alice, bob);
    await scan(bob, alice);
    await scan(carol, bob);
    const tagged = await requestJson<ContactResponse>(url(`/api/contacts/${first.contact.id}`), {
      method: 'PATCH',
      headers: alice.headers,
      body: { tag: 'cooperation', note: 'Bikes' },
    });
    expect(tagged.status).toBe(200);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('exports everything held about me as a JSON download, without secrets', async () => {
    const res = await requestJson<MyDataExport>(url('/api/me/export'), { headers: alice.headers });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="coopetition-my-data-\d{4}-\d{2}-\d{2}\.json"/,
    );
    expect(res.headers.get('cache-control')).toBe('no-store');
    const data = res.body;
    expect(data.user).toMatchObject({
      id: alice.user.id,
      email: alice.email,
      name: 'Alice Martin',
    });
    expect(data.card?.fullName).toBe('Alice Martin');
    expect(data.memberships).toEqual([expect.objectContaining({ eventId, role: 'attendee' })]);
    expect(data.events.map((e) => e.id)).toEqual([eventId]);
    expect(data.eventsOrganized).toEqual([]);
    expect(data.contacts).toEqual([
      expect.objectContaining({ otherUserId: bob.user.id, tag: 'cooperation', note: 'Bikes' }),
    ]);
    expect(data.handshakes).toEqual([
      expect.objectContaining({
        eventId,
        otherUserId: bob.user.id,
        initiatedByMe: true,
        mutual: true,
      }),
    ]);
    expect(data.sessions.length).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(data)).not.toMatch(/passwordHash|tokenHash|scrypt\$|clientRefs/);

    const bobData = await requestJson<MyDataExport>(url('/api/me/export'), {
      headers: bob.headers,
    });
    expect(bobData.body.eventsOrganized.map((e) => e.id)).toEqual([eventId]);
    expect(bobData.body.handshakes).toHaveLength(2);
    const anonymous = await requestJson(url('/api/me/export'));
    expect(anonymous.status).toBe(401);
  });

  const badDeletes: [string, unknown, number, string][] = [
    ['no body', undefined, 400, 'validation_failed'],
    ['an operator as password', { password: { $gt: '' } }, 400, 'validation_failed'],
    [
      'an extra field',
      { password: 'correct horse battery', userId: 'x' },
      400,
      'validation_failed',
    ],
    ['the wrong password', { password: 'not my password' }, 401, 'invalid_credentials'],
  ];
  it.each(badDeletes)(
    'refuses to delete with %s and deletes nothing',
    async (_l, body, status, code) => {
      const res = await requestJson<ErrorBody>(url('/api/me'), {
        method: 'DELETE',
        headers: bob.headers,
        body,
      });
      expect(res.status).toBe(status);
      expect(res.body.error.code).toBe(code);
      expect(await UserModel.exists({ _id: bob.user.id })).not.toBeNull();
      expect(await CardModel.countDocuments({ userId: bob.user.id })).toBe(1);
      expect(await SessionModel.countDocuments({ userId: bob.user.id })).toBeGreaterThan(0);
    },
  );

  it('deletes my account; handshakes and the cards others received stay with them, unlinked', async () => {
    // Bob owns a team with Carol, and a team of his own.
    const shared = await requestJson<TeamResponse>(url('/api/teams'), {
      method: 'POST',
      headers: bob.headers,
      body: { name: 'Vélos Ørsted' },
    });
    expect(shared.status).toBe(201);
    const invite = await requestJson<TeamInviteResponse>(
      url(`/api/teams/${shared.body.team.id}/invites`),
      {
        method: 'POST',
        headers: bob.headers,
        body: {},
      },
    );
    const joined = await requestJson(url('/api/teams/join'), {
      method: 'POST',
      headers: carol.headers,
      body: { code: invite.body.code },
    });
    expect(joined.status).toBe(200);
    const solo = await requestJson<TeamResponse>(url('/api/teams'), {
      method: 'POST',
      headers: bob.headers,
      body: { name: 'Solo' },
    });

    const bobId = new Types.ObjectId(bob.user.id);
    const socket = connect(server.url, {
      transports: ['websocket'],
      auth: { token: bob.accessToken },
      reconnection: false,
      forceNew: true,
    });
    await new Promise((resolve) => socket.once('session:ready', resolve));
    const socketClosed = new Promise((resolve) => socket.once('disconnect', resolve));
    const res = await fetch(url('/api/me'), {
      method: 'DELETE',
      headers: { ...bob.headers, 'content-type': 'application/json', cookie: bob.cookie },
      body: JSON.stringify({ password: bob.password }),
    });
    expect(res.status).toBe(204);
    expect(res.headers.getSetCookie().join()).toMatch(/coop_refresh=;/);
    expect(await socketClosed).toBe('io server disconnect');

    // Gone: the account, its card, sessions, memberships and the contacts Bob held.
    expect(await UserModel.exists({ _id: bobId })).toBeNull();
    expect(await CardModel.countDocuments({ userId: bobId })).toBe(0);
    expect(await SessionModel.countDocuments({ userId: bobId })).toBe(0);
    expect(await MembershipModel.countDocuments({ userId: bobId })).toBe(0);
    expect(await ContactModel.countDocuments({ ownerId: bobId })).toBe(0);

    // Kept for the others, under a tombstone id: nothing points at Bob any more.
    const aliceContacts = await ContactModel.find({ ownerId: alice.user.id }).lean();
    expect(aliceContacts).toHaveLength(1);
    expect((aliceContacts[0]?.card as { fullName: string }).fullName).toBe('Bob Ørsted');
    expect(aliceContacts[0]?.tag).toBe('cooperation');
    const tombstone = aliceContacts[0]?.otherUserId;
    expect(String(tombstone)).not.toBe(bob.user.id);
    expect(await UserModel.exists({ _id: tombstone })).toBeNull();
    const handshakes = await HandshakeModel.find({ eventId }).lean();
    expect(handshakes).toHaveLength(2);
    for (const handshake of handshakes) {
      expect(handshake.userIds.map(String)).toContain(String(tombstone));
      expect(handshake.pairKey).not.toContain(bob.user.id);
    }
    const leftovers = await Promise.all([
      ContactModel.countDocuments({ otherUserId: bobId }),
      HandshakeModel.countDocuments({
        $or: [{ userIds: bobId }, { initiatorId: bobId }, { otherId: bobId }],
      }),
      EventModel.countDocuments({ $or: [{ organizers: bobId }, { createdBy: bobId }] }),
      TeamModel.countDocuments({ $or: [{ 'members.userId': bobId }, { createdBy: bobId }] }),
    ]);
    expect(leftovers).toEqual([0, 0, 0, 0]);

    // The event goes on; Carol now owns the shared team; the solo team is gone.
    expect(await EventModel.exists({ _id: eventId })).not.toBeNull();
    const team = await TeamModel.findById(shared.body.team.id).lean();
    expect(team?.members.map((m) => [String(m.userId), m.role])).toEqual([
      [carol.user.id, 'owner'],
    ]);
    expect(await TeamModel.exists({ _id: solo.body.team.id })).toBeNull();

    // Alice still lists and exports the card she was handed.
    const list = await requestJson<{ items: { card: { fullName: string } }[] }>(
      url('/api/contacts'),
      {
        headers: alice.headers,
      },
    );
    expect(list.body.items.map((c) => c.card.fullName)).toEqual(['Bob Ørsted']);

    // Bob's tokens and credentials no longer work; the email is free again.
    const me = await requestJson<ErrorBody>(url('/api/me'), { headers: bob.headers });
    expect(me.status).toBe(401);
    const refresh = await requestJson<ErrorBody>(url('/api/auth/refresh'), {
      method: 'POST',
      headers: { cookie: bob.cookie },
    });
    expect(refresh.status).toBe(401);
    const login = await requestJson<ErrorBody>(url('/api/auth/login'), {
      method: 'POST',
      body: { email: bob.email, password: bob.password },
    });
    expect(login.status).toBe(401);
    expect(login.body.error.code).toBe('invalid_credentials');
    const again = await registerUser(server.url, { email: bob.email });
    const fresh = await requestJson<MeResponse>(url('/api/me'), { headers: again.headers });
    expect(fresh.body.user.id).not.toBe(bob.user.id);
  });
});
