import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LeadListResponse } from '../../shared/leads';
import type {
  ClientToServerEvents,
  RealtimeLeadUpdated,
  ServerToClientEvents,
} from '../../shared/realtime';
import { createTestEvent, joinTestEvent, registerUser, type TestUser } from '../helpers/accounts';
import { requestJson } from '../helpers/http';
import { startTestServer, type TestServer } from '../helpers/server';
import { connectSocket } from './exchange.fixtures';
import { inviteCode, shakeHands, teamWithStaff } from './teams.fixtures';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
interface Received {
  event: string;
  payload: unknown;
}

/**
 * Everything a socket receives, in order. `until` resolves with what arrived since the last
 * call, up to and including the first message matching the predicate. Socket.io keeps one
 * socket's messages in order, so a later message proves an earlier one was never sent.
 */
class Inbox {
  private readonly received: Received[] = [];
  private read = 0;
  private waiter: (() => void) | undefined;

  constructor(socket: ClientSocket) {
    socket.onAny((event: string, payload: unknown) => {
      this.received.push({ event, payload });
      this.waiter?.();
    });
  }

  async until(match: (m: Received) => boolean): Promise<Received[]> {
    for (;;) {
      const at = this.received.findIndex((m, i) => i >= this.read && match(m));
      if (at >= 0) {
        const out = this.received.slice(this.read, at + 1);
        this.read = at + 1;
        return out;
      }
      await new Promise<void>((resolve) => (this.waiter = resolve));
    }
  }
}

const leadUpdate = (teamId: string) => (m: Received) =>
  m.event === 'lead:updated' && (m.payload as RealtimeLeadUpdated).teamId === teamId;
const handshakeCreated = (m: Received) => m.event === 'handshake:created';
const leadUpdates = (messages: Received[]) =>
  messages.filter((m) => m.event === 'lead:updated').map((m) => m.payload);

describe('live lead board: lead:updated reaches the team room, members only', () => {
  let server: TestServer;
  let owner: TestUser;
  let ana: TestUser;
  let ben: TestUser;
  let cara: TestUser;
  let rival: TestUser;
  let people: TestUser[];
  let teamId: string;
  let rivalTeamId: string;
  let eventId: string;
  let joinCode: string;
  const sockets: ClientSocket[] = [];

  /** A signed-in socket; `session:ready` arrives once it is in its rooms. */
  const open = async (user: TestUser): Promise<Inbox> => {
    const socket = connectSocket(server, user);
    sockets.push(socket);
    const inbox = new Inbox(socket);
    await inbox.until((m) => m.event === 'session:ready');
    return inbox;
  };
  const boardIds = async (user: TestUser) => {
    const res = await requestJson<LeadListResponse>(
      `${server.url}/api/teams/${teamId}/leads?limit=100`,
      { headers: user.headers },
    );
    return new Map(res.body.items.map((lead) => [lead.person.userId, lead.id]));
  };

  beforeAll(async () => {
    server = await startTestServer();
    const reg = (name: string) => registerUser(server.url, { name });
    [owner, ana, ben, cara, rival] = await Promise.all([
      reg('Olga Owner'),
      reg('Ana Staff'),
      reg('Ben Staff'),
      reg('Cara Staff'),
      reg('Rita Rival'),
    ]);
    people = await Promise.all(['Élodie', 'Marc', 'Zoé', 'Hugo', 'Inès'].map((n) => reg(n)));
    teamId = await teamWithStaff(server.url, owner, [ana, ben, cara], 'Loop Robotics');
    rivalTeamId = await teamWithStaff(server.url, rival, [], 'Rival Inc');
    const organizer = await reg('Org');
    const event = await createTestEvent(server.url, organizer);
    eventId = event.id;
    joinCode = event.joinCode;
    for (const staff of [ana, ben, cara])
      await joinTestEvent(server.url, staff, joinCode, { teamId });
    await joinTestEvent(server.url, rival, joinCode, { teamId: rivalTeamId });
    for (const person of [owner, ...people]) await joinTestEvent(server.url, person, joinCode);
  });
  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await server?.close();
  });

  it('pushes each new lead and each new encounter to every member, once', async () => {
    const [elodie, marc] = people as [TestUser, TestUser];
    const ownerInbox = await open(owner);
    const anaInbox = await open(ana);

    await shakeHands(server.url, eventId, ana, elodie);
    const leadId = (await boardIds(owner)).get(elodie.user.id);
    const created = { teamId, leadId, created: true };
    expect(leadUpdates(await ownerInbox.until(leadUpdate(teamId)))).toEqual([created]);
    expect(leadUpdates(await anaInbox.until(leadUpdate(teamId)))).toEqual([created]);

    // A colleague meets the same person: the same lead, one more encounter.
    await shakeHands(server.url, eventId, elodie, ben);
    expect(leadUpdates(await ownerInbox.until(leadUpdate(teamId)))).toEqual([
      { teamId, leadId, created: false },
    ]);

    // A repeated scan changes nothing and pushes nothing: Ana's socket gets the re-scan's
    // handshake:created (sent after any lead push) and no lead:updated before it.
    expect((await shakeHands(server.url, eventId, ana, elodie)).status).toBe(200);
    expect(leadUpdates(await anaInbox.until(handshakeCreated))).toEqual([]);

    await shakeHands(server.url, eventId, ana, marc);
    expect(leadUpdates(await ownerInbox.until(leadUpdate(teamId)))).toEqual([
      { teamId, leadId: (await boardIds(owner)).get(marc.user.id), created: true },
    ]);
  });

  it('never reaches someone outside the team, even another team staffing the event', async () => {
    const rivalInbox = await open(rival);
    const ownerInbox = await open(owner);
    // Ana's team gets a lead for Rita and Rita's team one for Ana: each room hears its own.
    await shakeHands(server.url, eventId, ana, rival);
    const rivalGot = await rivalInbox.until(handshakeCreated);
    expect(leadUpdates(rivalGot)).toEqual([
      expect.objectContaining({ teamId: rivalTeamId, created: true }),
    ]);
    const ownerGot = await ownerInbox.until(leadUpdate(teamId));
    expect(leadUpdates(ownerGot)).toEqual([
      { teamId, leadId: (await boardIds(owner)).get(rival.user.id), created: true },
    ]);
  });

  it('stops at once for a removed member and one who left; a new member starts at once', async () => {
    const [, , zoe, hugo, ines] = people as [TestUser, TestUser, TestUser, TestUser, TestUser];
    const benInbox = await open(ben);
    const caraInbox = await open(cara);
    const newbie = await registerUser(server.url, { name: 'Nina New' });
    const newbieInbox = await open(newbie);

    // Still members: both hear a lead.
    await shakeHands(server.url, eventId, ana, zoe);
    expect(leadUpdates(await benInbox.until(leadUpdate(teamId)))).toHaveLength(1);
    expect(leadUpdates(await caraInbox.until(leadUpdate(teamId)))).toHaveLength(1);

    const removed = await requestJson(`${server.url}/api/teams/${teamId}/members/${ben.user.id}`, {
      method: 'DELETE',
      headers: owner.headers,
    });
    expect(removed.status).toBe(204);
    const left = await requestJson(`${server.url}/api/teams/${teamId}/members/${cara.user.id}`, {
      method: 'DELETE',
      headers: cara.headers,
    });
    expect(left.status).toBe(204);
    const code = await inviteCode(server.url, owner, teamId);
    const joined = await requestJson(`${server.url}/api/teams/join`, {
      method: 'POST',
      headers: newbie.headers,
      body: { code },
    });
    expect(joined.status).toBe(200);

    // Ana meets Ben and Cara: new leads of the team. Each gets the handshake:created that
    // follows the lead push, and no lead:updated before it.
    await shakeHands(server.url, eventId, ana, ben);
    expect(leadUpdates(await benInbox.until(handshakeCreated))).toEqual([]);
    await shakeHands(server.url, eventId, ana, cara);
    expect(leadUpdates(await caraInbox.until(handshakeCreated))).toEqual([]);
    // A reconnecting former member is not put back in the room either.
    const benAgain = await open(ben);
    await shakeHands(server.url, eventId, hugo, ana);
    await shakeHands(server.url, eventId, ana, ben);
    expect(leadUpdates(await benAgain.until(handshakeCreated))).toEqual([]);

    // The newcomer's socket, open before joining, hears the team from now on.
    await shakeHands(server.url, eventId, ana, ines);
    const board = await boardIds(owner);
    const inesLead = { teamId, leadId: board.get(ines.user.id), created: true };
    const got = await newbieInbox.until(
      (m) =>
        m.event === 'lead:updated' && (m.payload as RealtimeLeadUpdated).leadId === inesLead.leadId,
    );
    expect(leadUpdates(got)).toContainEqual(inesLead);
  });
});
