import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventMembershipResponse, MyEventsResponse } from '../../shared/events';
import { JOIN_CODE_PATTERN } from '../../shared/events';
import { EventModel, MembershipModel } from '../../server/src/features/events/events.model';
import { createTestEvent, joinTestEvent, registerUser, type TestUser } from '../helpers/accounts';
import { requestJson } from '../helpers/http';
import { startTestServer, type TestServer } from '../helpers/server';

type ErrorBody = { error: { code: string; message: string } };

describe('events: create, join, get', () => {
  let server: TestServer;
  let organizer: TestUser;
  let attendee: TestUser;
  const url = (path: string) => `${server.url}${path}`;

  beforeAll(async () => {
    server = await startTestServer();
    [organizer, attendee] = await Promise.all([
      registerUser(server.url, { name: 'Olivia Organizer' }),
      registerUser(server.url, { name: 'Arthur Attendee' }),
    ]);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('creates an event with a join code; the creator is its organizer', async () => {
    const event = await createTestEvent(server.url, organizer, { name: 'Nuit de la coopétition' });
    expect(event).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      name: 'Nuit de la coopétition',
      venue: 'Halle 1',
      startsAt: '2026-12-01T17:00:00.000Z',
      endsAt: '2026-12-01T23:00:00.000Z',
      timezone: 'Europe/Paris',
      joinCode: expect.stringMatching(JOIN_CODE_PATTERN),
      createdAt: expect.any(String),
    });
    const res = await requestJson<EventMembershipResponse>(url(`/api/events/${event.id}`), {
      headers: organizer.headers,
    });
    expect(res.status).toBe(200);
    expect(res.body.membership).toMatchObject({
      role: 'organizer',
      userId: organizer.user.id,
      teamId: null,
    });
    const stored = await EventModel.findById(event.id).lean();
    expect(stored?.organizers.map(String)).toEqual([organizer.user.id]);
  });

  it('joins by code (as typed: lower case, spaces, dashes) and is idempotent', async () => {
    const event = await createTestEvent(server.url, organizer);
    const typed = `${event.joinCode.slice(0, 3).toLowerCase()}-${event.joinCode.slice(3)} `;
    const first = await joinTestEvent(server.url, attendee, typed);
    expect(first.event.id).toBe(event.id);
    expect(first.membership).toMatchObject({
      eventId: event.id,
      userId: attendee.user.id,
      role: 'attendee',
    });
    const again = await joinTestEvent(server.url, attendee, event.joinCode, { role: 'exhibitor' });
    expect(again.membership).toEqual(first.membership);
    expect(
      await MembershipModel.countDocuments({ eventId: event.id, userId: attendee.user.id }),
    ).toBe(1);

    const concurrent = await registerUser(server.url);
    const results = await Promise.all(
      Array.from({ length: 5 }, () => joinTestEvent(server.url, concurrent, event.joinCode)),
    );
    expect(new Set(results.map((r) => r.membership.id)).size).toBe(1);
    expect(
      await MembershipModel.countDocuments({ eventId: event.id, userId: concurrent.user.id }),
    ).toBe(1);

    const mine = await requestJson<MyEventsResponse>(url('/api/me/events'), {
      headers: attendee.headers,
    });
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((item) => item.event.id)).toContain(event.id);
  });

  it('joins as an exhibitor when asked', async () => {
    const event = await createTestEvent(server.url, organizer);
    const exhibitor = await registerUser(server.url);
    const joined = await joinTestEvent(server.url, exhibitor, event.joinCode, {
      role: 'exhibitor',
    });
    expect(joined.membership.role).toBe('exhibitor');
  });

  it('answers 404 join_code_not_found for an unknown code and writes nothing', async () => {
    const before = await MembershipModel.countDocuments();
    const res = await requestJson<ErrorBody>(url('/api/events/join'), {
      method: 'POST',
      headers: attendee.headers,
      body: { joinCode: '222222' },
    });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('join_code_not_found');
    expect(await MembershipModel.countDocuments()).toBe(before);
  });

  it('hides events from non-members: 404 event_not_found, the same as a missing or malformed id', async () => {
    const event = await createTestEvent(server.url, organizer);
    const outsider = await registerUser(server.url);
    for (const id of [event.id, '0123456789abcdef01234567', 'not-an-id', '{"$gt":""}']) {
      const res = await requestJson<ErrorBody>(url(`/api/events/${encodeURIComponent(id)}`), {
        headers: outsider.headers,
      });
      expect(res.status).toBe(404);
      expect(res.body).toEqual({
        error: { code: 'event_not_found', message: 'This event does not exist.' },
      });
    }
    const mine = await requestJson<MyEventsResponse>(url('/api/me/events'), {
      headers: outsider.headers,
    });
    expect(mine.body.items).toEqual([]);
  });

  it('requires sign-in for every event route', async () => {
    const before = await EventModel.countDocuments();
    const create = await requestJson<ErrorBody>(url('/api/events'), {
      method: 'POST',
      body: { name: 'x', startsAt: '2026-12-01T17:00:00Z', endsAt: '2026-12-01T18:00:00Z' },
    });
    expect(create.status).toBe(401);
    expect(create.body.error.code).toBe('unauthorized');
    expect(await EventModel.countDocuments()).toBe(before);
    const join = await requestJson(url('/api/events/join'), {
      method: 'POST',
      body: { joinCode: '222222' },
    });
    expect(join.status).toBe(401);
    const mine = await requestJson(url('/api/me/events'));
    expect(mine.status).toBe(401);
  });

  const base = { name: 'Event', startsAt: '2026-12-01T17:00:00Z', endsAt: '2026-12-01T18:00:00Z' };
  const badEvents: [string, unknown][] = [
    ['no name', { startsAt: base.startsAt, endsAt: base.endsAt }],
    ['an end before the start', { ...base, endsAt: '2026-12-01T16:00:00Z' }],
    ['a 90-day event', { ...base, endsAt: '2027-03-01T17:00:00Z' }],
    ['a date without time', { ...base, startsAt: '2026-12-01' }],
    ['an unknown time zone', { ...base, timezone: 'Mars/Olympus' }],
    ['an operator as name', { ...base, name: { $gt: '' } }],
    ['an operator as start', { ...base, startsAt: { $gt: '' } }],
    ['a line break in the name', { ...base, name: 'A\r\nB' }],
    ['a joinCode chosen by the client', { ...base, joinCode: 'AAAAAA' }],
    ['organizers chosen by the client', { ...base, organizers: ['0123456789abcdef01234567'] }],
  ];
  it.each(badEvents)(
    'rejects an event with %s (400 validation_failed, nothing written)',
    async (_l, body) => {
      const before = await EventModel.countDocuments();
      const res = await requestJson<ErrorBody>(url('/api/events'), {
        method: 'POST',
        headers: organizer.headers,
        body,
      });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(await EventModel.countDocuments()).toBe(before);
    },
  );

  const badJoins: [string, unknown][] = [
    ['a too-short code', { joinCode: 'ABC' }],
    ['a code with look-alike letters', { joinCode: 'O0I1L2' }],
    ['an operator as code', { joinCode: { $gt: '' } }],
    ['the organizer role', { joinCode: '222222', role: 'organizer' }],
    ['a malformed team id', { joinCode: '222222', teamId: 'team-1' }],
    ['an unknown field', { joinCode: '222222', userId: '0123456789abcdef01234567' }],
  ];
  it.each(badJoins)(
    'rejects a join with %s (400 validation_failed, nothing written)',
    async (_l, body) => {
      const before = await MembershipModel.countDocuments();
      const res = await requestJson<ErrorBody>(url('/api/events/join'), {
        method: 'POST',
        headers: attendee.headers,
        body,
      });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(await MembershipModel.countDocuments()).toBe(before);
    },
  );

  it('rejects malformed JSON on create with 400 malformed_json', async () => {
    const res = await requestJson<ErrorBody>(url('/api/events'), {
      method: 'POST',
      headers: organizer.headers,
      rawBody: '{"name":',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('malformed_json');
  });
});
