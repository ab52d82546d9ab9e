import type { TeamInviteResponse, TeamResponse } from '../../shared/teams';
import type { TestUser } from '../helpers/accounts';
import { requestJson } from '../helpers/http';

/** Shared set-up for the team, lead and pulse tests: teams made through the real API. */
export async function createTestTeam(
  baseUrl: string,
  owner: TestUser,
  name = 'Loop Robotics',
): Promise<TeamResponse['team']> {
  const res = await requestJson<TeamResponse>(`${baseUrl}/api/teams`, {
    method: 'POST',
    headers: owner.headers,
    body: { name },
  });
  if (res.status !== 201) throw new Error(`create team: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.team;
}

export async function inviteCode(
  baseUrl: string,
  owner: TestUser,
  teamId: string,
): Promise<string> {
  const res = await requestJson<TeamInviteResponse>(`${baseUrl}/api/teams/${teamId}/invites`, {
    method: 'POST',
    headers: owner.headers,
  });
  if (res.status !== 201) throw new Error(`invite: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.code;
}

/** Creates a team owned by `owner` with every `staff` user joined through an invite code. */
export async function teamWithStaff(
  baseUrl: string,
  owner: TestUser,
  staff: TestUser[],
  name?: string,
): Promise<string> {
  const team = await createTestTeam(baseUrl, owner, name);
  if (staff.length > 0) {
    const code = await inviteCode(baseUrl, owner, team.id);
    for (const member of staff) {
      const res = await requestJson(`${baseUrl}/api/teams/join`, {
        method: 'POST',
        headers: member.headers,
        body: { code },
      });
      if (res.status !== 200) throw new Error(`join team: ${res.status}`);
    }
  }
  return team.id;
}

/** Sets a user's card (the name is required; the rest optional). */
export async function setCard(
  baseUrl: string,
  user: TestUser,
  card: { fullName: string; company?: string; title?: string; email?: string; phone?: string },
): Promise<void> {
  const res = await requestJson(`${baseUrl}/api/me/card`, {
    method: 'PUT',
    headers: user.headers,
    body: card,
  });
  if (res.status !== 200) throw new Error(`card: ${res.status} ${JSON.stringify(res.body)}`);
}

/** `scanner` scans `scanned`'s on-screen code at the event: the real exchange flow. */
export async function shakeHands(
  baseUrl: string,
  eventId: string,
  scanner: TestUser,
  scanned: TestUser,
): Promise<{ status: number; handshakeId: string }> {
  const code = await requestJson<{ token: string }>(
    `${baseUrl}/api/events/${eventId}/exchange-code`,
    { headers: scanned.headers },
  );
  if (code.status !== 200) throw new Error(`exchange code: ${code.status}`);
  const res = await requestJson<{ handshake: { id: string } }>(
    `${baseUrl}/api/events/${eventId}/handshakes`,
    { method: 'POST', headers: scanner.headers, body: { code: code.body.token, method: 'qr' } },
  );
  if (res.status !== 201 && res.status !== 200) {
    throw new Error(`handshake: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return { status: res.status, handshakeId: res.body.handshake.id };
}
