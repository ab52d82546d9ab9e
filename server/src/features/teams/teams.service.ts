import { createHash, randomInt } from 'node:crypto';
import { Types } from 'mongoose';
import {
  TEAM_INVITE_ALPHABET,
  TEAM_INVITE_LENGTH,
  TEAM_LIMITS,
  type TeamCreateSchema,
  type TeamJoinSchema,
  type TeamMemberUpdateSchema,
} from '../../../../shared/teams';
import type { z } from 'zod';
import { AppError, ConflictError, ForbiddenError, NotFoundError } from '../../errors';
import type { Actor } from '../auth/actor';
import { TeamModel, type TeamDoc } from './teams.model';
import {
  memberOf,
  requireTeamMember,
  requireTeamOwner,
  teamNotFound,
  toObjectId,
} from './teams.policy';

const DAY_MS = 86_400_000;

function hashInviteCode(code: string): string {
  return createHash('sha256').update(`team-invite:${code}`).digest('hex');
}

function newInviteCode(): string {
  let code = '';
  for (let i = 0; i < TEAM_INVITE_LENGTH; i += 1) {
    code += TEAM_INVITE_ALPHABET[randomInt(TEAM_INVITE_ALPHABET.length)];
  }
  return code;
}

/** Creates a team; its creator is its first owner. */
export async function createTeam(
  actor: Actor,
  input: z.output<typeof TeamCreateSchema>,
): Promise<TeamDoc> {
  return TeamModel.create({
    name: input.name,
    members: [{ userId: new Types.ObjectId(actor.userId), role: 'owner', joinedAt: new Date() }],
    createdBy: new Types.ObjectId(actor.userId),
  });
}

/** The teams I belong to, by name. */
export async function listMyTeams(actor: Actor): Promise<TeamDoc[]> {
  return TeamModel.find({ 'members.userId': actor.userId }).sort({ name: 1, _id: 1 }).limit(500);
}

/** Ids of the teams a user currently belongs to (for their sockets' team rooms). */
export async function teamIdsOf(userId: string): Promise<string[]> {
  const teams = await TeamModel.find({ 'members.userId': userId }, { _id: 1 }).limit(500).lean();
  return teams.map((team) => team._id.toString());
}

export async function getTeam(actor: Actor, teamId: string): Promise<TeamDoc> {
  return requireTeamMember(actor, teamId);
}

/**
 * Issues a new invite code (owners only). One code per team: issuing a new one revokes the
 * previous, so a leaked link is fixed by issuing another.
 */
export async function createInvite(
  actor: Actor,
  teamId: string,
): Promise<{ code: string; expiresAt: Date }> {
  const team = await requireTeamOwner(actor, teamId);
  const code = newInviteCode();
  const expiresAt = new Date(Date.now() + TEAM_LIMITS.inviteTtlDays * DAY_MS);
  const result = await TeamModel.updateOne(
    { _id: team._id, members: { $elemMatch: { userId: actor.userId, role: 'owner' } } },
    { $set: { inviteCodeHash: hashInviteCode(code), inviteExpiresAt: expiresAt } },
  );
  if (result.matchedCount === 0) throw teamNotFound();
  return { code, expiresAt };
}

/** Joins the team an invite code belongs to; joining twice is harmless. */
export async function joinTeam(
  actor: Actor,
  input: z.output<typeof TeamJoinSchema>,
): Promise<TeamDoc> {
  const team = await TeamModel.findOne({ inviteCodeHash: hashInviteCode(input.code) });
  if (!team) throw new NotFoundError('invite_not_found', 'This invite code is not valid.');
  if (memberOf(team, actor.userId)) return team;
  if (!team.inviteExpiresAt || team.inviteExpiresAt.getTime() <= Date.now()) {
    throw new AppError(410, 'invite_expired', 'This invite has expired. Ask for a new one.');
  }
  const lastSlot = `members.${TEAM_LIMITS.maxMembers - 1}`;
  const joined = await TeamModel.findOneAndUpdate(
    {
      _id: team._id,
      inviteCodeHash: team.inviteCodeHash,
      'members.userId': { $ne: new Types.ObjectId(actor.userId) },
      [lastSlot]: { $exists: false },
    },
    {
      $push: {
        members: { userId: new Types.ObjectId(actor.userId), role: 'member', joinedAt: new Date() },
      },
    },
    { returnDocument: 'after' },
  );
  if (joined) return joined;
  // Lost a race: either we are in already (double tap), the code was rotated, or it is full.
  const current = await TeamModel.findById(team._id);
  if (current && memberOf(current, actor.userId)) return current;
  if (!current || current.inviteCodeHash !== team.inviteCodeHash) {
    throw new NotFoundError('invite_not_found', 'This invite code is not valid.');
  }
  throw new ConflictError('team_full', `A team has at most ${TEAM_LIMITS.maxMembers} members.`);
}

/**
 * Removes a member: owners remove anyone, a member removes themself (leaving). The last
 * owner cannot leave or be removed, so a team always has someone who can invite.
 */
export async function removeMember(actor: Actor, teamId: string, userId: string): Promise<void> {
  const team = await requireTeamMember(actor, teamId);
  const self = userId === actor.userId;
  const actorRole = memberOf(team, actor.userId)?.role;
  if (!self && actorRole !== 'owner') {
    throw new ForbiddenError('forbidden', 'Only the team owners can remove members.');
  }
  const targetId = toObjectId(userId);
  const target = targetId ? memberOf(team, targetId.toString()) : undefined;
  if (!targetId || !target) {
    throw new NotFoundError('member_not_found', 'This person is not in the team.');
  }
  // Every precondition is part of the update's filter, so concurrent removals cannot
  // leave a team without an owner.
  const conditions: Record<string, unknown>[] = [{ 'members.userId': targetId }];
  if (!self) {
    conditions.push({ members: { $elemMatch: { userId: actor.userId, role: 'owner' } } });
  }
  if (target.role === 'owner') {
    conditions.push({ members: { $elemMatch: { role: 'owner', userId: { $ne: targetId } } } });
  }
  const result = await TeamModel.updateOne(
    { _id: team._id, $and: conditions },
    { $pull: { members: { userId: targetId } } },
  );
  if (result.modifiedCount > 0) return;
  if (target.role === 'owner') {
    throw new ConflictError(
      'last_owner',
      'A team needs an owner: make someone else an owner before leaving.',
    );
  }
  throw new NotFoundError('member_not_found', 'This person is not in the team.');
}

/** Owners promote members to owner or step an owner back to member (never the last one). */
export async function setMemberRole(
  actor: Actor,
  teamId: string,
  userId: string,
  input: z.output<typeof TeamMemberUpdateSchema>,
): Promise<TeamDoc> {
  const team = await requireTeamOwner(actor, teamId);
  const targetId = toObjectId(userId);
  const target = targetId ? memberOf(team, targetId.toString()) : undefined;
  if (!targetId || !target) {
    throw new NotFoundError('member_not_found', 'This person is not in the team.');
  }
  const conditions: Record<string, unknown>[] = [
    { members: { $elemMatch: { userId: actor.userId, role: 'owner' } } },
    { 'members.userId': targetId },
  ];
  if (input.role === 'member') {
    conditions.push({ members: { $elemMatch: { role: 'owner', userId: { $ne: targetId } } } });
  }
  const updated = await TeamModel.findOneAndUpdate(
    { _id: team._id, $and: conditions },
    { $set: { 'members.$[m].role': input.role } },
    { returnDocument: 'after', arrayFilters: [{ 'm.userId': targetId }] },
  );
  if (updated) return updated;
  if (input.role === 'member') {
    throw new ConflictError('last_owner', 'A team needs at least one owner.');
  }
  throw teamNotFound();
}
