import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiErrorBody } from '../../shared/api';
import type { MyTeamsResponse, TeamInviteResponse, TeamResponse } from '../../shared/teams';
import { MembershipModel } from '../../server/src/features/events/events.model';
import { TeamModel } from '../../server/src/features/teams/teams.model';
import { createTestEvent, joinTestEvent, registerUser, type TestUser } from '../helpers/accounts';
import { requestJson } from '../helpers/http';
import { startTestServer, type TestServer } from '../helpers/server';
import { createTestTeam, inviteCode } from './teams.fixtures';

const MISSING_ID = '0123456789abcdef01234567';

describe('teams: create, invite, join, leave', () => {
  let server: TestServer;
  let owner: TestUser;
  let staff: TestUser;
  let outsider: TestUser;
  const url = (path: string) => `${server.url}${path}`;

  beforeAll(async () => {
    server = await startTestServer({ PUBLIC_URL: 'https://coop.example' });
    owner = await registerUser(server.url, { name: 'Olga Owner' });
    staff = await registerUser(server.url, { name: 'Sami Staff' });
    outsider = await registerUser(server.url, { name: 'Oscar Outsider' });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('creates a team whose creator is the owner and lists it as mine', async () => {
    const res = await requestJson<TeamResponse>(url('/api/teams'), {
      method: 'POST',
      headers: owner.headers,
      body: { name: '  Éclair Labs  ' },
    });
    expect(res.status).toBe(201);
    expect(res.body.team).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      name: 'Éclair Labs',
      role: 'owner',
      memberCount: 1,
      createdAt: expect.any(String),
      members: [
        { userId: owner.user.id, name: 'Olga Owner', role: 'owner', joinedAt: expect.any(String) },
      ],
    });
    const mine = await requestJson<MyTeamsResponse>(url('/api/teams'), { headers: owner.headers });
    expect(mine.body.items.map((t) => t.name)).toContain('Éclair Labs');
    const theirs = await requestJson<MyTeamsResponse>(url('/api/teams'), {
      headers: outsider.headers,
    });
    expect(theirs.body.items).toEqual([]);
  });

  it('refuses bad team input with 400 and writes nothing', async () => {
    const before = await TeamModel.countDocuments();
    for (const body of [
      {},
      { name: '' },
      { name: 'x'.repeat(81) },
      { name: { $gt: '' } },
      { name: 'Ok', extra: 1 },
      { name: 'Line\nbreak' },
    ]) {
      const res = await requestJson<ApiErrorBody>(url('/api/teams'), {
        method: 'POST',
        headers: owner.headers,
        body,
      });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
    const anonymous = await requestJson<ApiErrorBody>(url('/api/teams'), {
      method: 'POST',
      body: { name: 'Nope' },
    });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('unauthorized');
    expect(await TeamModel.countDocuments()).toBe(before);
  });

  it('invites by code and link; staff join once; a rotated code stops working', async () => {
    const team = await createTestTeam(server.url, owner);
    const invite = await requestJson<TeamInviteResponse>(url(`/api/teams/${team.id}/invites`), {
      method: 'POST',
      headers: owner.headers,
    });
    expect(invite.status).toBe(201);
    expect(invite.body.code).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{12}$/);
    expect(invite.body.url).toBe(`https://coop.example/teams/join/${invite.body.code}`);
    expect(Date.parse(invite.body.expiresAt)).toBeGreaterThan(Date.now() + 6 * 86_400_000);
    const stored = await TeamModel.findById(team.id).lean();
    expect(JSON.stringify(stored)).not.toContain(invite.body.code);

    const typed = `${invite.body.code.slice(0, 4).toLowerCase()}-${invite.body.code.slice(4)}`;
    for (let i = 0; i < 2; i += 1) {
      const join = await requestJson<TeamResponse>(url('/api/teams/join'), {
        method: 'POST',
        headers: staff.headers,
        body: { code: typed },
      });
      expect(join.status).toBe(200);
      expect(join.body.team.role).toBe('member');
      expect(join.body.team.memberCount).toBe(2);
    }

    const rotated = await inviteCode(server.url, owner, team.id);
    expect(rotated).not.toBe(invite.body.code);
    const stale = await requestJson<ApiErrorBody>(url('/api/teams/join'), {
      method: 'POST',
      headers: outsider.headers,
      body: { code: invite.body.code },
    });
    expect(stale.status).toBe(404);
    expect(stale.body.error.code).toBe('invite_not_found');
    expect((await TeamModel.findById(team.id).lean())?.members).toHaveLength(2);
  });

  it('refuses an expired invite (410) and malformed codes (400) without joining', async () => {
    const team = await createTestTeam(server.url, owner);
    const code = await inviteCode(server.url, owner, team.id);
    await TeamModel.updateOne(
      { _id: team.id },
      { $set: { inviteExpiresAt: new Date(Date.now() - 1000) } },
    );
    const expired = await requestJson<ApiErrorBody>(url('/api/teams/join'), {
      method: 'POST',
      headers: outsider.headers,
      body: { code },
    });
    expect(expired.status).toBe(410);
    expect(expired.body.error.code).toBe('invite_expired');
    for (const body of [{}, { code: 'short' }, { code: { $ne: null } }, { code, more: true }]) {
      const res = await requestJson<ApiErrorBody>(url('/api/teams/join'), {
        method: 'POST',
        headers: outsider.headers,
        body,
      });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
    expect((await TeamModel.findById(team.id).lean())?.members).toHaveLength(1);
  });

  it('shows a team to its members only; others get the same 404 as an unknown id', async () => {
    const team = await createTestTeam(server.url, owner);
    const seen = await requestJson<TeamResponse>(url(`/api/teams/${team.id}`), {
      headers: owner.headers,
    });
    expect(seen.status).toBe(200);
    for (const id of [team.id, MISSING_ID, 'not-an-id']) {
      const res = await requestJson<ApiErrorBody>(url(`/api/teams/${id}`), {
        headers: outsider.headers,
      });
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: { code: 'team_not_found', message: 'Team not found.' } });
    }
  });

  it('lets only owners invite and remove; members may leave; the last owner may not', async () => {
    const team = await createTestTeam(server.url, owner);
    const code = await inviteCode(server.url, owner, team.id);
    const other = await registerUser(server.url, { name: 'Maud Member' });
    for (const user of [staff, other]) {
      await requestJson(url('/api/teams/join'), {
        method: 'POST',
        headers: user.headers,
        body: { code },
      });
    }
    const memberInvite = await requestJson<ApiErrorBody>(url(`/api/teams/${team.id}/invites`), {
      method: 'POST',
      headers: staff.headers,
    });
    expect(memberInvite.status).toBe(403);
    expect(memberInvite.body.error.code).toBe('forbidden');
    const outsiderInvite = await requestJson<ApiErrorBody>(url(`/api/teams/${team.id}/invites`), {
      method: 'POST',
      headers: outsider.headers,
    });
    expect(outsiderInvite.status).toBe(404);
    const hashBefore = (await TeamModel.findById(team.id).lean())?.inviteCodeHash;

    const memberRemoves = await requestJson<ApiErrorBody>(
      url(`/api/teams/${team.id}/members/${other.user.id}`),
      { method: 'DELETE', headers: staff.headers },
    );
    expect(memberRemoves.status).toBe(403);
    const outsiderRemoves = await requestJson<ApiErrorBody>(
      url(`/api/teams/${team.id}/members/${other.user.id}`),
      { method: 'DELETE', headers: outsider.headers },
    );
    expect(outsiderRemoves.status).toBe(404);
    expect(outsiderRemoves.body.error.code).toBe('team_not_found');
    const lastOwner = await requestJson<ApiErrorBody>(
      url(`/api/teams/${team.id}/members/${owner.user.id}`),
      { method: 'DELETE', headers: owner.headers },
    );
    expect(lastOwner.status).toBe(409);
    expect(lastOwner.body.error.code).toBe('last_owner');
    const unknown = await requestJson<ApiErrorBody>(
      url(`/api/teams/${team.id}/members/${outsider.user.id}`),
      { method: 'DELETE', headers: owner.headers },
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('member_not_found');
    let stored = await TeamModel.findById(team.id).lean();
    expect(stored?.members).toHaveLength(3);
    expect(stored?.inviteCodeHash).toBe(hashBefore);

    const leave = await requestJson(url(`/api/teams/${team.id}/members/${staff.user.id}`), {
      method: 'DELETE',
      headers: staff.headers,
    });
    expect(leave.status).toBe(204);
    const removed = await requestJson(url(`/api/teams/${team.id}/members/${other.user.id}`), {
      method: 'DELETE',
      headers: owner.headers,
    });
    expect(removed.status).toBe(204);
    stored = await TeamModel.findById(team.id).lean();
    expect(stored?.members.map((m) => m.userId.toString())).toEqual([owner.user.id]);
    const gone = await requestJson(url(`/api/teams/${team.id}`), { headers: staff.headers });
    expect(gone.status).toBe(404);
  });

  it('promotes a member so the first owner can leave', async () => {
    const team = await createTestTeam(server.url, owner);
    const code = await inviteCode(server.url, owner, team.id);
    const heir = await registerUser(server.url, { name: 'Hana Heir' });
    await requestJson(url('/api/teams/join'), {
      method: 'POST',
      headers: heir.headers,
      body: { code },
    });
    const bad = await requestJson<ApiErrorBody>(
      url(`/api/teams/${team.id}/members/${heir.user.id}`),
      {
        method: 'PATCH',
        headers: owner.headers,
        body: { role: 'admin' },
      },
    );
    expect(bad.status).toBe(400);
    const byMember = await requestJson<ApiErrorBody>(
      url(`/api/teams/${team.id}/members/${heir.user.id}`),
      { method: 'PATCH', headers: heir.headers, body: { role: 'owner' } },
    );
    expect(byMember.status).toBe(403);
    expect((await TeamModel.findById(team.id).lean())?.members[1]?.role).toBe('member');
    const promote = await requestJson<TeamResponse>(
      url(`/api/teams/${team.id}/members/${heir.user.id}`),
      { method: 'PATCH', headers: owner.headers, body: { role: 'owner' } },
    );
    expect(promote.status).toBe(200);
    expect(promote.body.team.members.every((m) => m.role === 'owner')).toBe(true);
    const leave = await requestJson(url(`/api/teams/${team.id}/members/${owner.user.id}`), {
      method: 'DELETE',
      headers: owner.headers,
    });
    expect(leave.status).toBe(204);
    const demoteLast = await requestJson<ApiErrorBody>(
      url(`/api/teams/${team.id}/members/${heir.user.id}`),
      { method: 'PATCH', headers: heir.headers, body: { role: 'member' } },
    );
    expect(demoteLast.status).toBe(409);
    expect(demoteLast.body.error.code).toBe('last_owner');
  });

  it('lets only team members join an event as its staff', async () => {
    const organizer = await registerUser(server.url, { name: 'Org' });
    const event = await createTestEvent(server.url, organizer);
    const team = await createTestTeam(server.url, owner);
    const refused = await requestJson<ApiErrorBody>(url('/api/events/join'), {
      method: 'POST',
      headers: outsider.headers,
      body: { joinCode: event.joinCode, teamId: team.id },
    });
    expect(refused.status).toBe(404);
    expect(refused.body.error.code).toBe('team_not_found');
    expect(
      await MembershipModel.exists({ eventId: event.id, userId: outsider.user.id }),
    ).toBeNull();
    const joined = await joinTestEvent(server.url, owner, event.joinCode, { teamId: team.id });
    expect(joined.membership.teamId).toBe(team.id);
    expect(joined.membership.role).toBe('exhibitor');
  });
});
