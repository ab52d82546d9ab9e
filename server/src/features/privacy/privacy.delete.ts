import { Types } from 'mongoose';
import { UnauthorizedError } from '../../errors';
import type { Actor } from '../auth/actor';
import { SessionModel, UserModel } from '../auth/auth.model';
import { verifyPassword } from '../auth/passwords';
import { CardModel } from '../cards/cards.model';
import { ContactModel } from '../contacts/contacts.model';
import { EventModel, MembershipModel } from '../events/events.model';
import { BadgeModel, HandshakeModel, pairKeyOf, ShortCodeModel } from '../exchange/exchange.model';
import { LeadModel } from '../leads/leads.model';
import { TeamModel } from '../teams/teams.model';

/**
 * Deletes the account after checking its password. No transactions: every step is
 * idempotent and the user document goes last, so an interrupted deletion is finished by
 * deleting again (the password still works until the very end).
 *
 * What others hold is theirs: handshakes stay in their log and the card they received
 * stays in their contacts (and their team's leads), with my user id replaced by a fresh
 * random tombstone id that points at nobody, so nothing links back to the deleted account.
 */
export async function deleteMyAccount(actor: Actor, password: string): Promise<void> {
  const user = await UserModel.findById(actor.userId).exec();
  if (!user) throw new UnauthorizedError();
  if (!(await verifyPassword(password, user.passwordHash))) {
    throw new UnauthorizedError('invalid_credentials', 'The password is not right.');
  }
  const me = new Types.ObjectId(actor.userId);
  const tombstone = new Types.ObjectId();

  // First: no device can renew its session while the rest is removed.
  await SessionModel.deleteMany({ userId: me }).exec();

  await Promise.all([
    ContactModel.deleteMany({ ownerId: me }).exec(),
    MembershipModel.deleteMany({ userId: me }).exec(),
    BadgeModel.deleteMany({ userId: me }).exec(),
    ShortCodeModel.deleteMany({ userId: me }).exec(),
    CardModel.deleteMany({ userId: me }).exec(),
  ]);

  await Promise.all([
    ContactModel.updateMany({ otherUserId: me }, { $set: { otherUserId: tombstone } }).exec(),
    EventModel.updateMany({ organizers: me }, { $pull: { organizers: me } }).exec(),
    tombstoneHandshakes(actor.userId, tombstone),
    tombstoneLeads(me, tombstone),
  ]);
  await EventModel.updateMany({ createdBy: me }, { $set: { createdBy: tombstone } }).exec();
  await leaveTeams(me, tombstone);

  await UserModel.deleteOne({ _id: me }).exec();
}

/** Rewrites each handshake I took part in so it names the tombstone instead of me. */
async function tombstoneHandshakes(userId: string, tombstone: Types.ObjectId): Promise<void> {
  const swap = (id: Types.ObjectId) => (String(id) === userId ? tombstone : id);
  const rows = await HandshakeModel.find({ userIds: new Types.ObjectId(userId) }).lean();
  for (const row of rows) {
    const userIds = row.userIds.map(swap).sort((a, b) => String(a).localeCompare(String(b)));
    const [a, b] = userIds.map(String);
    await HandshakeModel.updateOne(
      { _id: row._id },
      {
        $set: {
          userIds,
          pairKey: pairKeyOf(a ?? '', b ?? ''),
          initiatorId: swap(row.initiatorId),
          otherId: swap(row.otherId),
          clientRefs: row.clientRefs.map((ref) =>
            ref.startsWith(`${userId}:`) ? `${String(tombstone)}${ref.slice(userId.length)}` : ref,
          ),
        },
      },
    ).exec();
  }
}

/** Team leads: the person I was (personId) and my part as staff become the tombstone. */
async function tombstoneLeads(me: Types.ObjectId, tombstone: Types.ObjectId): Promise<void> {
  await LeadModel.updateMany({ personId: me }, { $set: { personId: tombstone } }).exec();
  await LeadModel.updateMany({ assigneeId: me }, { $set: { assigneeId: tombstone } }).exec();
  const swap = (id: Types.ObjectId) => (id.equals(me) ? tombstone : id);
  const rows = await LeadModel.find({
    $or: [{ memberIds: me }, { 'encounters.memberId': me }, { 'notes.authorId': me }],
  }).lean();
  for (const row of rows) {
    await LeadModel.updateOne(
      { _id: row._id },
      {
        $set: {
          memberIds: row.memberIds.map(swap),
          encounters: row.encounters.map((e) => ({ ...e, memberId: swap(e.memberId) })),
          notes: row.notes.map((n) => ({ ...n, authorId: swap(n.authorId) })),
        },
      },
    ).exec();
  }
}

/**
 * Leaves every team. A team left without members is deleted with its leads (nobody could
 * read them any more); one left without an owner gets its longest-standing member as owner.
 */
async function leaveTeams(me: Types.ObjectId, tombstone: Types.ObjectId): Promise<void> {
  const teams = await TeamModel.find({ 'members.userId': me }).exec();
  for (const team of teams) {
    const members = team.members.filter((m) => !m.userId.equals(me));
    if (members.length === 0) {
      await LeadModel.deleteMany({ teamId: team._id }).exec();
      await TeamModel.deleteOne({ _id: team._id }).exec();
      continue;
    }
    await TeamModel.updateOne({ _id: team._id }, { $pull: { members: { userId: me } } }).exec();
    if (!members.some((m) => m.role === 'owner')) {
      const successor = [...members].sort((a, b) => a.joinedAt.getTime() - b.joinedAt.getTime())[0];
      if (successor) {
        await TeamModel.updateOne(
          { _id: team._id, 'members.userId': successor.userId },
          { $set: { 'members.$.role': 'owner' } },
        ).exec();
      }
    }
  }
  await TeamModel.updateMany({ createdBy: me }, { $set: { createdBy: tombstone } }).exec();
}
