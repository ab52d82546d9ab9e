import { isValidObjectId, Types } from 'mongoose';
import { ForbiddenError, NotFoundError } from '../../errors';
import type { Actor } from '../auth/actor';
import { TeamModel, type TeamDoc, type TeamMember } from './teams.model';

export const teamNotFound = () => new NotFoundError('team_not_found', 'Team not found.');

/** A route parameter as one string ("" when absent or repeated: answered as not found). */
export function routeParam(
  params: Record<string, string | string[] | undefined>,
  name: string,
): string {
  const value = params[name];
  return typeof value === 'string' ? value : '';
}

/** A 24-hex id as an ObjectId, or undefined for anything else (answered as "not found"). */
export function toObjectId(id: string): Types.ObjectId | undefined {
  return /^[0-9a-f]{24}$/i.test(id) && isValidObjectId(id) ? new Types.ObjectId(id) : undefined;
}

export function memberOf(team: Pick<TeamDoc, 'members'>, userId: string): TeamMember | undefined {
  return team.members.find((m) => m.userId.toString() === userId);
}

/**
 * The team if the actor belongs to it. Unknown, malformed and other teams' ids all answer
 * the same 404, so ids reveal nothing.
 */
export async function requireTeamMember(actor: Actor, teamId: string): Promise<TeamDoc> {
  const id = toObjectId(teamId);
  if (!id) throw teamNotFound();
  const team = await TeamModel.findOne({ _id: id, 'members.userId': actor.userId });
  if (!team) throw teamNotFound();
  return team;
}

/** As {@link requireTeamMember}, and 403 `forbidden` for members who are not owners. */
export async function requireTeamOwner(actor: Actor, teamId: string): Promise<TeamDoc> {
  const team = await requireTeamMember(actor, teamId);
  if (memberOf(team, actor.userId)?.role !== 'owner') {
    throw new ForbiddenError('forbidden', 'Only the team owners can do this.');
  }
  return team;
}

/** Whether the user currently belongs to the team (used when staff capture leads). */
export async function isTeamMember(teamId: Types.ObjectId, userId: string): Promise<boolean> {
  return (await TeamModel.exists({ _id: teamId, 'members.userId': userId })) !== null;
}
