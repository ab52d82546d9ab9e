import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContactListResponse, ContactTag } from '../../shared/contacts';
import type { EventStatsDto, EventStatsResponse } from '../../shared/stats';
import {
  EventAttendeeStatsModel,
  EventCompanyStatsModel,
  EventPairStatsModel,
  EventStatsModel,
} from '../../server/src/features/stats/stats.model';
import { rebuildEventStats } from '../../server/src/features/stats/stats.rebuild';
import {
  ACTIVE_RESOLUTION_MS,
  flushHandshakeStats,
  recordHandshakeStats,
} from '../../server/src/features/stats/stats.record';
import { createTestEvent, joinTestEvent, registerUser, type TestUser } from '../helpers/accounts';
import { requestJson } from '../helpers/http';
import { startTestServer, type TestServer } from '../helpers/server';
import { setCard, shakeHands, teamWithStaff } from './teams.fixtures';

/**
 * The pulse is kept incrementally as handshakes, tags and leads are written: these check
 * each path against what a recount from scratch gives.
 */
describe('organizer pulse: incremental aggregates', () => {
  let server: TestServer;
  const url = (path: string) => `${server.url}${path}`;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  interface Scene {
    organizer: TestUser;
    acme: TestUser[];
    beta: TestUser[];
    events: { id: string; joinCode: string }[];
  }

  /** An organizer, three people of Acme and three of Beta, all in `eventCount` events. */
  const scene = async (eventCount = 1): Promise<Scene> => {
    const reg = (name: string) => registerUser(server.url, { name });
    const organizer = await reg('Oriane Organizer');
    const acme = await Promise.all(['Alice', 'Arno', 'Anouk'].map((n) => reg(`${n} Acme`)));
    const beta = await Promise.all(['Bruno', 'Bea', 'Basile'].map((n) => reg(`${n} Beta`)));
    for (const user of acme)
      await setCard(server.url, user, { fullName: user.user.name, company: 'Acme' });
    for (const user of beta)
      await setCard(server.url, user, { fullName: user.user.name, company: 'Beta' });
    const events: Scene['events'] = [];
    for (let i = 0; i < eventCount; i += 1) {
      const event = await createTestEvent(server.url, organizer, { name: `Night ${i + 1}` });
      for (const user of [...acme, ...beta]) await joinTestEvent(server.url, user, event.joinCode);
      events.push({ id: event.id, joinCode: event.joinCode });
    }
    return { organizer, acme, beta, events };
  };

  const stats = async (organizer: TestUser, eventId: string): Promise<EventStatsDto> => {
    const res = await requestJson<EventStatsResponse>(url(`/api/events/${eventId}/stats`), {
      headers: organizer.headers,
    });
    expect(res.status).toBe(200);
    return res.body.stats;
  };
  const contactId = async (owner: TestUser, other: TestUser): Promise<string> => {
    const res = await requestJson<ContactListResponse>(url('/api/contacts'), {
      headers: owner.headers,
    });
    const contact = res.body.items.find((c) => c.otherUserId === other.user.id);
    if (!contact) throw new Error('no contact');
    return contact.id;
  };
  const patch = async (owner: TestUser, other: TestUser, body: Record<string, unknown>) => {
    const res = await requestJson(url(`/api/contacts/${await contactId(owner, other)}`), {
      method: 'PATCH',
      headers: owner.headers,
      body,
    });
    expect(res.status).toBe(200);
  };
  const tag = (owner: TestUser, other: TestUser, value: ContactTag) =>
    patch(owner, other, { tag: value });
  const tags = (s: EventStatsDto) => [s.cooperation, s.competition, s.untagged];
  const acmeBeta = (s: EventStatsDto) =>
    s.network.edges.find((e) => e.a === 'acme' && e.b === 'beta');

  /** A fresh recount from the source collections must give the same pulse. */
  const expectRebuildAgrees = async (organizer: TestUser, eventId: string) => {
    const incremental = await stats(organizer, eventId);
    await rebuildEventStats(new Types.ObjectId(eventId));
    const rebuilt = await stats(organizer, eventId);
    expect({ ...rebuilt, generatedAt: '' }).toEqual({ ...incremental, generatedAt: '' });
  };

  it('counts a handshake once: re-scans, scan-backs and simultaneous scans add nothing', async () => {
    const { organizer, acme, beta, events } = await scene();
    const eventId = events[0]!.id;
    const [a1, a2] = acme as [TestUser, TestUser];
    const [b1, b2] = beta as [TestUser, TestUser];
    expect((await shakeHands(server.url, eventId, a1, b1)).status).toBe(201);
    expect((await shakeHands(server.url, eventId, a1, b1)).status).toBe(200);
    expect((await shakeHands(server.url, eventId, b1, a1)).status).toBe(200);
    const both = await Promise.all([
      shakeHands(server.url, eventId, a2, b2),
      shakeHands(server.url, eventId, b2, a2),
      shakeHands(server.url, eventId, a2, b2),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 200, 201]);

    const s = await stats(organizer, eventId);
    expect(s).toMatchObject({ handshakes: 2, activeAttendees: 4, members: 7 });
    expect(tags(s)).toEqual([0, 0, 4]);
    expect(s.network.nodes).toEqual([
      { id: 'acme', company: 'Acme', people: 2, handshakes: 2 },
      { id: 'beta', company: 'Beta', people: 2, handshakes: 2 },
    ]);
    // Two handshakes between Acme and Beta: under the threshold of three.
    expect(s.network.edges).toEqual([]);
    await expectRebuildAgrees(organizer, eventId);
  });

  it('writes every counter of a new pulse row, 0 where nothing has moved it yet', async () => {
    const { acme, beta, events } = await scene();
    const eventId = new Types.ObjectId(events[0]!.id);
    expect((await shakeHands(server.url, String(eventId), acme[0]!, beta[0]!)).status).toBe(201);
    // The counters are written in a batch just after the answer; reading the pulse flushes.
    await flushHandshakeStats();
    const project = { projection: { _id: 0, eventId: 0 } };
    expect(await EventStatsModel.collection.findOne({ eventId }, project)).toEqual({
      handshakes: 1,
      cooperation: 0,
      competition: 0,
      untagged: 2,
    });
    const companies = await EventCompanyStatsModel.collection
      .find({ eventId }, { ...project, sort: { key: 1 } })
      .toArray();
    expect(companies).toEqual([
      { key: 'acme', people: 1, handshakes: 1 },
      { key: 'beta', people: 1, handshakes: 1 },
    ]);
    expect(await EventPairStatsModel.collection.findOne({ eventId }, project)).toEqual({
      a: 'acme',
      b: 'beta',
      count: 1,
      cooperation: 0,
      competition: 0,
    });
  });

  it("moves a person's last activity forward once it is 30 s behind, and counts every handshake", async () => {
    const eventId = new Types.ObjectId();
    const [u1, u2, u3] = [0, 1, 2].map(() => new Types.ObjectId().toHexString());
    const t0 = Date.now();
    const shake = (ms: number, a: [string, string], b: [string, string]) =>
      recordHandshakeStats([
        {
          eventId: String(eventId),
          at: new Date(t0 + ms),
          sides: [
            { userId: a[0], company: a[1], tag: 'none' },
            { userId: b[0], company: b[1], tag: 'none' },
          ],
        },
      ]);
    const activeAt = async () =>
      Object.fromEntries(
        (await EventAttendeeStatsModel.collection.find({ eventId }).toArray()).map((row) => [
          String(row.userId),
          (row.lastActiveAt as Date).getTime() - t0,
        ]),
      );
    await shake(0, [u1!, 'Acme'], [u2!, 'Beta']);
    await shake(10_000, [u1!, 'Acme'], [u3!, 'Gamma']);
    // u1 was marked 10 s ago: close enough. u3 is new here.
    expect(await activeAt()).toEqual({ [u1!]: 0, [u2!]: 0, [u3!]: 10_000 });
    await shake(ACTIVE_RESOLUTION_MS, [u1!, 'Acme'], [u2!, 'Beta']);
    expect(await activeAt()).toEqual({
      [u1!]: ACTIVE_RESOLUTION_MS,
      [u2!]: ACTIVE_RESOLUTION_MS,
      [u3!]: 10_000,
    });
    expect(await EventStatsModel.collection.findOne({ eventId })).toMatchObject({ handshakes: 3 });
    const companies = await EventCompanyStatsModel.collection
      .find({ eventId }, { projection: { _id: 0, eventId: 0 }, sort: { key: 1 } })
      .toArray();
    expect(companies).toEqual([
      { key: 'acme', people: 1, handshakes: 3 },
      { key: 'beta', people: 1, handshakes: 2 },
      { key: 'gamma', people: 1, handshakes: 1 },
    ]);
  });

  it('moves a contact from its old tag to the new one, on the event and on the company pair', async () => {
    const { organizer, acme, beta, events } = await scene();
    const eventId = events[0]!.id;
    for (let i = 0; i < 3; i += 1) await shakeHands(server.url, eventId, acme[i]!, beta[i]!);
    const [a1, b1] = [acme[0]!, beta[0]!];
    const edge = { a: 'acme', b: 'beta', count: 3 };

    expect(tags(await stats(organizer, eventId))).toEqual([0, 0, 6]);
    await tag(a1, b1, 'cooperation');
    let s = await stats(organizer, eventId);
    expect(tags(s)).toEqual([1, 0, 5]);
    expect(acmeBeta(s)).toEqual({ ...edge, cooperation: 1, competition: 0 });

    // The same tag again, or a change that is not a tag, moves nothing.
    await tag(a1, b1, 'cooperation');
    await patch(a1, b1, { note: 'Met at the bar', rating: 'hot' });
    expect(tags(await stats(organizer, eventId))).toEqual([1, 0, 5]);

    await tag(a1, b1, 'competition');
    await tag(b1, a1, 'competition');
    s = await stats(organizer, eventId);
    expect(tags(s)).toEqual([0, 2, 4]);
    expect(acmeBeta(s)).toEqual({ ...edge, cooperation: 0, competition: 2 });

    // Untagging puts the contact back under "untagged".
    await tag(a1, b1, 'none');
    s = await stats(organizer, eventId);
    expect(tags(s)).toEqual([0, 1, 5]);
    expect(acmeBeta(s)).toEqual({ ...edge, cooperation: 0, competition: 1 });
    expect(s.handshakes).toBe(3);

    // Tags changed at the same moment by both people land on the same totals.
    await Promise.all([tag(a1, b1, 'cooperation'), tag(b1, a1, 'cooperation')]);
    s = await stats(organizer, eventId);
    expect(tags(s)).toEqual([2, 0, 4]);
    expect(acmeBeta(s)).toEqual({ ...edge, cooperation: 2, competition: 0 });
    await expectRebuildAgrees(organizer, eventId);
  });

  it('keeps events apart; a contact from two events moves its tag at both', async () => {
    const { organizer, acme, beta, events } = await scene(2);
    const [first, second] = [events[0]!.id, events[1]!.id];
    const [a1, a2] = [acme[0]!, acme[1]!];
    const [b1, b2] = [beta[0]!, beta[1]!];
    await shakeHands(server.url, first, a1, b1);
    await shakeHands(server.url, first, a2, b2);
    // Tagged at the first event, then met again at the second: it arrives there tagged.
    await tag(a2, b2, 'competition');
    await shakeHands(server.url, second, a2, b2);
    let s1 = await stats(organizer, first);
    let s2 = await stats(organizer, second);
    expect([s1.handshakes, ...tags(s1)]).toEqual([2, 0, 1, 3]);
    expect([s2.handshakes, ...tags(s2)]).toEqual([1, 0, 1, 1]);
    expect(s2.activeAttendees).toBe(2);

    // One contact, met at both events: its tag counts at both.
    await shakeHands(server.url, second, b1, a1);
    await tag(a1, b1, 'cooperation');
    s1 = await stats(organizer, first);
    s2 = await stats(organizer, second);
    expect([s1.handshakes, ...tags(s1)]).toEqual([2, 1, 1, 2]);
    expect([s2.handshakes, ...tags(s2)]).toEqual([2, 1, 1, 2]);
    for (const s of [s1, s2]) {
      expect(s.network.nodes.map((n) => [n.id, n.people, n.handshakes])).toEqual([
        ['acme', 2, 2],
        ['beta', 2, 2],
      ]);
    }
    // A third event with nothing in it shows zeros, not another event's counts.
    const empty = await createTestEvent(server.url, organizer, { name: 'Quiet night' });
    expect(await stats(organizer, empty.id)).toMatchObject({
      handshakes: 0,
      activeAttendees: 0,
      cooperation: 0,
      competition: 0,
      untagged: 0,
      topStartups: [],
      network: { nodes: [], edges: [] },
    });
    await expectRebuildAgrees(organizer, first);
    await expectRebuildAgrees(organizer, second);
  });

  it('counts each person a team met once per event, whichever staff met them', async () => {
    const { organizer, acme, beta, events } = await scene(2);
    const [first, second] = [events[0]!, events[1]!];
    const [s1, s2] = await Promise.all([
      registerUser(server.url, { name: 'Sam Staff' }),
      registerUser(server.url, { name: 'Sia Staff' }),
    ]);
    const teamId = await teamWithStaff(server.url, s1, [s2], 'Loop Robotics');
    for (const event of [first, second]) {
      for (const member of [s1, s2]) {
        await joinTestEvent(server.url, member, event.joinCode, { teamId });
      }
    }
    await shakeHands(server.url, first.id, s1, acme[0]!);
    await shakeHands(server.url, first.id, acme[0]!, s2);
    await shakeHands(server.url, first.id, s1, acme[0]!);
    await shakeHands(server.url, first.id, s1, beta[0]!);
    // Colleagues meeting each other are not leads.
    await shakeHands(server.url, first.id, s1, s2);
    await shakeHands(server.url, second.id, s2, acme[0]!);
    expect((await stats(organizer, first.id)).topStartups).toEqual([
      { teamId, name: 'Loop Robotics', leads: 2 },
    ]);
    expect((await stats(organizer, second.id)).topStartups).toEqual([
      { teamId, name: 'Loop Robotics', leads: 1 },
    ]);
    await expectRebuildAgrees(organizer, first.id);
  });

  it('leaves a hidden company out and keeps the aggregates when an account is deleted', async () => {
    const { organizer, acme, beta, events } = await scene();
    const eventId = events[0]!.id;
    const hidden = await registerUser(server.url, { name: 'Hugo Hidden' });
    await requestJson(url('/api/me/card'), {
      method: 'PUT',
      headers: hidden.headers,
      body: { fullName: 'Hugo Hidden', company: 'Gamma Secret', visibility: { company: false } },
    });
    await joinTestEvent(server.url, hidden, events[0]!.joinCode);
    for (let i = 0; i < 3; i += 1) await shakeHands(server.url, eventId, acme[i]!, beta[i]!);
    await shakeHands(server.url, eventId, hidden, acme[0]!);
    await tag(hidden, acme[0]!, 'cooperation');
    const before = await stats(organizer, eventId);
    expect(JSON.stringify(before)).not.toMatch(/gamma/i);
    expect(before.network.nodes.map((n) => n.id)).toEqual(['acme', 'beta']);
    expect([before.handshakes, ...tags(before)]).toEqual([4, 1, 0, 7]);

    // Deletion tombstones the person in others' data; the counts hold no personal data
    // and stay as they were (the handshake happened).
    const deleted = await requestJson(url('/api/me'), {
      method: 'DELETE',
      headers: beta[0]!.headers,
      body: { password: beta[0]!.password },
    });
    expect(deleted.status).toBe(204);
    const after = await stats(organizer, eventId);
    expect({ ...after, members: 0, generatedAt: '' }).toEqual({
      ...before,
      members: 0,
      generatedAt: '',
    });
    expect(after.members).toBe(before.members - 1);
  });
  it('counts a burst of simultaneous handshakes (one batch) exactly as a recount does', async () => {
    const { organizer, acme, beta, events } = await scene();
    const eventId = events[0]!.id;
    // Everyone meets everyone at once: each person is in several handshakes of the same
    // batch, and each company's people arrive together, some tagged before the burst ends.
    const pairs: [TestUser, TestUser][] = [];
    const everyone = [...acme, ...beta];
    for (let i = 0; i < everyone.length; i += 1)
      for (let j = i + 1; j < everyone.length; j += 1) pairs.push([everyone[i]!, everyone[j]!]);
    const results = await Promise.all(pairs.map(([a, b]) => shakeHands(server.url, eventId, a, b)));
    expect(results.map((r) => r.status)).toEqual(pairs.map(() => 201));
    await Promise.all([
      tag(acme[0]!, beta[0]!, 'cooperation'),
      tag(beta[0]!, acme[0]!, 'competition'),
      tag(acme[1]!, acme[2]!, 'cooperation'),
    ]);

    const s = await stats(organizer, eventId);
    expect(s).toMatchObject({ handshakes: 15, activeAttendees: 6 });
    expect(tags(s)).toEqual([2, 1, 27]);
    expect(s.network.nodes).toEqual([
      { id: 'acme', company: 'Acme', people: 3, handshakes: 12 },
      { id: 'beta', company: 'Beta', people: 3, handshakes: 12 },
    ]);
    expect(s.network.edges).toEqual([
      expect.objectContaining({ a: 'acme', b: 'beta', count: 9, cooperation: 1, competition: 1 }),
    ]);
    await expectRebuildAgrees(organizer, eventId);
  });
  it('counts a burst larger than one bulk command exactly as a recount does', async () => {
    const reg = (name: string) => registerUser(server.url, { name });
    const organizer = await reg('Oriane Organizer');
    const event = await createTestEvent(server.url, organizer, { name: 'Big night' });
    // Twelve people of each of two companies: 24 new attendees in one batch, more than
    // one bulk command holds, each side of a company boundary.
    const [gamma, delta] = await Promise.all(
      ['Gamma', 'Delta'].map((company) =>
        Promise.all(
          Array.from({ length: 12 }, async (_, i) => {
            const user = await reg(`${company} ${i + 1}`);
            await setCard(server.url, user, { fullName: user.user.name, company });
            await joinTestEvent(server.url, user, event.joinCode);
            return user;
          }),
        ),
      ),
    );
    const results = await Promise.all(
      gamma!.map((g, i) => shakeHands(server.url, event.id, g, delta![i]!)),
    );
    expect(results.map((r) => r.status)).toEqual(gamma!.map(() => 201));

    const s = await stats(organizer, event.id);
    expect(s).toMatchObject({ handshakes: 12, activeAttendees: 24 });
    expect(s.network.nodes).toEqual([
      { id: 'delta', company: 'Delta', people: 12, handshakes: 12 },
      { id: 'gamma', company: 'Gamma', people: 12, handshakes: 12 },
    ]);
    expect(s.network.edges).toEqual([
      expect.objectContaining({ a: 'delta', b: 'gamma', count: 12 }),
    ]);
    await expectRebuildAgrees(organizer, event.id);
  });
});
