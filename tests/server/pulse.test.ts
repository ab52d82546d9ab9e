import { parse } from 'csv-parse/sync';
import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ApiErrorBody } from '../../shared/api';
import type { ContactListResponse } from '../../shared/contacts';
import type {
  ClientToServerEvents,
  RealtimeEventStats,
  ServerToClientEvents,
} from '../../shared/realtime';
import type { EventStatsResponse, StatsSubscribeAck } from '../../shared/stats';
import { createTestEvent, joinTestEvent, registerUser, type TestUser } from '../helpers/accounts';
import { requestJson } from '../helpers/http';
import { startTestServer, type TestServer } from '../helpers/server';
import { openSocket } from './exchange.fixtures';
import { setCard, shakeHands, teamWithStaff } from './teams.fixtures';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

describe('organizer pulse: aggregates, authorization, live push', () => {
  let server: TestServer;
  const url = (path: string) => `${server.url}${path}`;
  let organizer: TestUser;
  let a1: TestUser;
  let a2: TestUser;
  let a3: TestUser;
  let b1: TestUser;
  let b2: TestUser;
  let hidden: TestUser;
  let staff: TestUser;
  let outsider: TestUser;
  let eventId: string;
  let teamId: string;
  const sockets: ClientSocket[] = [];

  const open = async (user: TestUser): Promise<ClientSocket> => {
    const socket = await openSocket(server, user);
    sockets.push(socket);
    return socket;
  };
  const subscribe = (socket: ClientSocket, payload: unknown) =>
    new Promise<StatsSubscribeAck>((resolve) => {
      socket.emit('stats:subscribe', payload as { eventId: string }, resolve);
    });
  const contactOf = async (owner: TestUser, other: TestUser) => {
    const res = await requestJson<ContactListResponse>(url('/api/contacts'), {
      headers: owner.headers,
    });
    const contact = res.body.items.find((c) => c.otherUserId === other.user.id);
    if (!contact) throw new Error('no contact');
    return contact;
  };
  const tag = async (owner: TestUser, other: TestUser, value: string, note?: string) => {
    const contact = await contactOf(owner, other);
    const res = await requestJson(url(`/api/contacts/${contact.id}`), {
      method: 'PATCH',
      headers: owner.headers,
      body: { tag: value, ...(note ? { note } : {}) },
    });
    if (res.status !== 200) throw new Error(`tag: ${res.status}`);
  };
  const getStats = (user: TestUser, id = eventId) =>
    requestJson<EventStatsResponse & ApiErrorBody>(url(`/api/events/${id}/stats`), {
      headers: user.headers,
    });

  beforeAll(async () => {
    server = await startTestServer();
    const reg = (name: string) => registerUser(server.url, { name });
    [organizer, a1, a2, a3, b1, b2, hidden, staff, outsider] = await Promise.all([
      reg('Oriane Organizer'),
      reg('Alice Acme'),
      reg('Arno Acme'),
      reg('Anouk Acme'),
      reg('Bruno Beta'),
      reg('Bea Beta'),
      reg('Hugo Hidden'),
      reg('Sam Staff'),
      reg('Otto Outsider'),
    ]);
    for (const user of [a1, a2, a3]) {
      await setCard(server.url, user, { fullName: user.user.name, company: 'Acme Énergie' });
    }
    await setCard(server.url, a3, { fullName: 'Anouk Acme', company: 'ACME energie' });
    for (const user of [b1, b2]) {
      await setCard(server.url, user, { fullName: user.user.name, company: 'Beta Corp' });
    }
    await requestJson(url('/api/me/card'), {
      method: 'PUT',
      headers: hidden.headers,
      body: { fullName: 'Hugo Hidden', company: 'Gamma Secret', visibility: { company: false } },
    });
    await setCard(server.url, staff, { fullName: 'Sam Staff', company: 'Loop Robotics' });
    teamId = await teamWithStaff(server.url, staff, [], 'Loop Robotics');
    const event = await createTestEvent(server.url, organizer, { name: 'Tech week opening' });
    eventId = event.id;
    for (const user of [a1, a2, a3, b1, b2, hidden]) {
      await joinTestEvent(server.url, user, event.joinCode);
    }
    await joinTestEvent(server.url, staff, event.joinCode, { teamId });
    await shakeHands(server.url, eventId, a1, b1);
    await shakeHands(server.url, eventId, b1, a2);
    await shakeHands(server.url, eventId, a3, b2);
    await shakeHands(server.url, eventId, a1, hidden);
    await shakeHands(server.url, eventId, staff, a1);
    await shakeHands(server.url, eventId, b1, staff);
    await tag(b1, a1, 'cooperation', 'Private: wants to buy us');
    await tag(a2, b1, 'competition', 'Private: rival bid');
  });
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.disconnect();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('gives organizers the counts, top startups and the per-company network', async () => {
    const res = await getStats(organizer);
    expect(res.status).toBe(200);
    const { stats } = res.body;
    expect(stats).toMatchObject({
      eventId,
      handshakes: 6,
      activeAttendees: 7,
      members: 8,
      cooperation: 1,
      competition: 1,
      untagged: 10,
      topStartups: [{ teamId, name: 'Loop Robotics', leads: 2 }],
    });
    expect(stats.network.minPairHandshakes).toBe(3);
    expect(stats.network.nodes).toEqual([
      { id: 'acme energie', company: 'Acme Énergie', people: 3, handshakes: 5 },
      { id: 'beta corp', company: 'Beta Corp', people: 2, handshakes: 4 },
      { id: 'loop robotics', company: 'Loop Robotics', people: 1, handshakes: 2 },
    ]);
    // Loop met Acme and Beta once each: below the threshold, so left out.
    expect(stats.network.edges).toEqual([
      { a: 'acme energie', b: 'beta corp', count: 3, cooperation: 1, competition: 1 },
    ]);
  });

  it('never leaks people, private notes or a hidden company', async () => {
    const res = await getStats(organizer);
    const text = JSON.stringify(res.body);
    for (const user of [a1, a2, a3, b1, b2, hidden, staff]) {
      expect(text).not.toContain(user.user.id);
      expect(text).not.toContain(user.user.name);
    }
    expect(text).not.toMatch(/Private|Gamma|wants to buy|rival bid/);
    const csv = await fetch(url(`/api/events/${eventId}/stats/export?format=csv`), {
      headers: organizer.headers,
    });
    const body = await csv.text();
    expect(body).not.toMatch(/Private|Gamma|Alice|Bruno/);
  });

  it('answers non-members 404 event_not_found and members who are not organizers 403', async () => {
    const notFound = { error: { code: 'event_not_found', message: 'This event does not exist.' } };
    for (const [user, id] of [
      [outsider, eventId],
      [organizer, '0123456789abcdef01234567'],
      [organizer, 'nope'],
    ] as const) {
      const res = await getStats(user, id);
      expect(res.status).toBe(404);
      expect(res.body).toEqual(notFound);
      const csv = await requestJson(url(`/api/events/${id}/stats/export?format=csv`), {
        headers: user.headers,
      });
      expect(csv.status).toBe(404);
      expect(csv.body).toEqual(notFound);
    }
    for (const user of [a1, staff]) {
      const res = await getStats(user);
      expect(res.status).toBe(403);
      expect(res.body).toEqual({
        error: { code: 'forbidden', message: 'Only the organizers see the pulse.' },
      });
      const csv = await requestJson(url(`/api/events/${eventId}/stats/export`), {
        headers: user.headers,
      });
      expect(csv.status).toBe(403);
    }
    const anonymous = await requestJson(url(`/api/events/${eventId}/stats`));
    expect(anonymous.status).toBe(401);
    const badFormat = await requestJson<ApiErrorBody>(
      url(`/api/events/${eventId}/stats/export?format=xlsx`),
      { headers: organizer.headers },
    );
    expect(badFormat.status).toBe(400);
    expect(badFormat.body.error.code).toBe('validation_failed');
  });

  it('exports the aggregate stats as CSV', async () => {
    const res = await fetch(url(`/api/events/${eventId}/stats/export?format=csv`), {
      headers: organizer.headers,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const rows = parse(await res.text(), { columns: true }) as Record<string, string>[];
    const value = (name: string) => rows.find((r) => r.Name === name)?.['Handshakes / count'];
    expect(value('handshakes')).toBe('6');
    expect(value('co-operation tags')).toBe('1');
    expect(rows.find((r) => r.Section === 'company pair')).toMatchObject({
      Name: 'Acme Énergie',
      'Met with': 'Beta Corp',
      'Handshakes / count': '3',
    });
  });

  it('pushes event:stats live to organizer sockets only, at most once a second', async () => {
    const [orgSocket, attendeeSocket, outsiderSocket] = await Promise.all([
      open(organizer),
      open(a1),
      open(outsider),
    ]);
    // Listening before subscribing: the subscription's own push may come right after its ack.
    const leaked: unknown[] = [];
    attendeeSocket.on('event:stats', (p) => leaked.push(p));
    outsiderSocket.on('event:stats', (p) => leaked.push(p));
    const pushes: { at: number; payload: RealtimeEventStats }[] = [];
    orgSocket.on('event:stats', (payload) => pushes.push({ at: Date.now(), payload }));
    expect(await subscribe(orgSocket, { eventId })).toEqual({ ok: true });
    expect(await subscribe(attendeeSocket, { eventId })).toEqual({ ok: false, code: 'forbidden' });
    expect(await subscribe(outsiderSocket, { eventId })).toEqual({
      ok: false,
      code: 'event_not_found',
    });
    expect(await subscribe(outsiderSocket, { eventId: { $ne: null } })).toEqual({
      ok: false,
      code: 'validation_failed',
    });
    // The subscription itself brings the current counts.
    await expect.poll(() => pushes.length, { timeout: 8000 }).toBeGreaterThanOrEqual(1);

    const late = await registerUser(server.url, { name: 'Lena Late' });
    const extra = await registerUser(server.url, { name: 'Eli Extra' });
    const event = await requestJson<{ event: { joinCode: string } }>(
      url(`/api/events/${eventId}`),
      {
        headers: organizer.headers,
      },
    );
    await joinTestEvent(server.url, late, event.body.event.joinCode);
    await joinTestEvent(server.url, extra, event.body.event.joinCode);
    const start = pushes.length;
    await Promise.all([
      shakeHands(server.url, eventId, late, a1),
      shakeHands(server.url, eventId, late, b2),
      shakeHands(server.url, eventId, extra, a3),
    ]);
    await tag(late, a1, 'cooperation');
    await expect.poll(() => pushes.at(-1)?.payload.handshakes, { timeout: 8000 }).toBe(9);
    await expect.poll(() => pushes.at(-1)?.payload.cooperation, { timeout: 8000 }).toBe(2);
    const last = pushes.at(-1)!.payload;
    expect(last).toEqual({
      eventId,
      handshakes: 9,
      activeAttendees: 9,
      members: 10,
      cooperation: 2,
      competition: 1,
      untagged: 15,
      at: expect.any(String),
    });
    const live = pushes.slice(start);
    for (let i = 1; i < live.length; i += 1) {
      expect(live[i]!.at - live[i - 1]!.at).toBeGreaterThanOrEqual(900);
    }
    expect(live.length).toBeLessThanOrEqual(4);
    expect(leaked).toEqual([]);

    // After unsubscribing, nothing more arrives.
    orgSocket.emit('stats:unsubscribe', { eventId });
    const count = pushes.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    await tag(late, a1, 'competition');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(pushes.length).toBe(count);
  });
});
