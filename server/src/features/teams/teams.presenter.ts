import type { TeamDetailDto, TeamSummaryDto } from '../../../../shared/teams';
import { UserModel } from '../auth/auth.model';
import type { TeamDoc } from './teams.model';
import { memberOf } from './teams.policy';

export function presentTeamSummary(team: TeamDoc, viewerId: string): TeamSummaryDto {
  return {
    id: team._id.toString(),
    name: team.name,
    role: memberOf(team, viewerId)?.role ?? 'member',
    memberCount: team.members.length,
    createdAt: team.createdAt.toISOString(),
  };
}

/** The team with its members' names; owners first, then by name. */
export async function presentTeamDetail(team: TeamDoc, viewerId: string): Promise<TeamDetailDto> {
  const users = await UserModel.find(
    { _id: { $in: team.members.map((m) => m.userId) } },
    { name: 1 },
  ).lean();
  const names = new Map(users.map((u) => [u._id.toString(), u.name]));
  const members = team.members
    .map((m) => ({
      userId: m.userId.toString(),
      name: names.get(m.userId.toString()) ?? '',
      role: m.role,
      joinedAt: m.joinedAt.toISOString(),
    }))
    .sort((a, b) =>
      a.role === b.role ? a.name.localeCompare(b.name) : a.role === 'owner' ? -1 : 1,
    );
  return { ...presentTeamSummary(team, viewerId), members };
}
