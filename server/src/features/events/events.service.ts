import { randomInt } from 'node:crypto';
import { isValidObjectId } from 'mongoose';
import {
  JOIN_CODE_ALPHABET,
  JOIN_CODE_LENGTH,
  type EventCreateSchema,
  type JoinEventSchema,
} from '../../../../shared/events';
import type { z } from 'zod';
import { NotFoundError, UnauthorizedError } from '../../errors';
import { isDuplicateKeyError } from '../../http/mongo-errors';
import type { Actor } from '../auth/actor';
import { UserModel } from '../auth/auth.model';
import { requireTeamMember } from '../teams/teams.policy';
import { EventModel, MembershipModel, type EventDoc, type MembershipDoc } from './events.model';

export type EventCreate = z.output<typeof EventCreateSchema>;
export type JoinEvent = z.output<typeof JoinEventSchema>;

const MAX_JOIN_CODE_ATTEMPTS = 8;

/** A 6-character join code from the unambiguous alphabet, uniformly random. */
export function generateJoinCode(): string {
  let code = '';
  for (let i = 0; i < JOIN_CODE_LENGTH; i += 1) {
    code += JOIN_CODE_ALPHABET[randomInt(JOIN_CODE_ALPHABET.length)];
  }
  return code;
}

const eventNotFound = () => new NotFoundError('event_not_found', 'This event does not exist.');

/** Only a live account may create or join: an access token can outlive its account. */
async function requireLiveUser(actor: Actor): Promise<void> {
  if (!(await UserModel.exists({ _id: actor.userId }))) throw new UnauthorizedError();
}

/**
 * The actor's membership of the event. 404 `event_not_found` both when the event does not
 * exist and when the actor is not a member, so non-members cannot probe for events.
 */
export async function requireMember(actor: Actor, eventId: string): Promise<MembershipDoc> {
  if (!isValidObjectId(eventId) || !/^[0-9a-f]{24}$/i.test(eventId)) throw eventNotFound();
  const membership = await MembershipModel.findOne({ eventId, userId: actor.userId }).exec();
  if (!membership) throw eventNotFound();
  return membership;
}

/** Creates an event with a fresh join code; the creator becomes its organizer. */
export async function createEvent(
  actor: Actor,
  input: EventCreate,
): Promise<{ event: EventDoc; membership: MembershipDoc }> {
  await requireLiveUser(actor);
  let event: EventDoc | undefined;
  for (let attempt = 0; !event; attempt += 1) {
    try {
      event = await EventModel.create({
        name: input.name,
        venue: input.venue ?? '',
        startsAt: new Date(input.startsAt),
        endsAt: new Date(input.endsAt),
        timezone: input.timezone ?? 'UTC',
        joinCode: generateJoinCode(),
        organizers: [actor.userId],
        createdBy: actor.userId,
      });
    } catch (err) {
      // A join-code collision: draw another. The unique index decides, not a lookup.
      if (!isDuplicateKeyError(err, 'joinCode') || attempt + 1 >= MAX_JOIN_CODE_ATTEMPTS) throw err;
    }
  }
  try {
    const membership = await upsertMembership(event, actor, 'organizer', null);
    return { event, membership };
  } catch (err) {
    // No transactions: undo the event so a failed create leaves nothing half-made.
    await EventModel.deleteOne({ _id: event._id }).exec();
    throw err;
  }
}

/**
 * Inserts the membership if there is none; an existing one is returned unchanged. The
 * (eventId, userId) unique index makes concurrent joins converge on one row.
 */
async function upsertMembership(
  event: EventDoc,
  actor: Actor,
  role: 'attendee' | 'exhibitor' | 'organizer',
  teamId: string | null,
): Promise<MembershipDoc> {
  const filter = { eventId: event._id, userId: actor.userId };
  for (let attempt = 0; ; attempt += 1) {
    try {
      await MembershipModel.updateOne(
        filter,
        { $setOnInsert: { role, teamId, joinedAt: new Date() } },
        { upsert: true },
      ).exec();
      break;
    } catch (err) {
      if (!isDuplicateKeyError(err) || attempt >= 2) throw err;
    }
  }
  const membership = await MembershipModel.findOne(filter).exec();
  if (!membership) throw eventNotFound();
  return membership;
}

/**
 * Joins the event behind a join code. Idempotent: joining again returns the existing
 * membership (its role is not changed). Unknown code: 404 `join_code_not_found`.
 */
export async function joinEvent(
  actor: Actor,
  input: JoinEvent,
): Promise<{ event: EventDoc; membership: MembershipDoc }> {
  await requireLiveUser(actor);
  const event = await EventModel.findOne({ joinCode: input.joinCode }).exec();
  if (!event) {
    throw new NotFoundError(
      'join_code_not_found',
      'No event has this code. Check it and try again.',
    );
  }
  const teamId = input.teamId ?? null;
  // Staffing a stand routes every contact into that team's leads: only its members may.
  if (teamId) await requireTeamMember(actor, teamId);
  const role = input.role ?? (teamId ? 'exhibitor' : 'attendee');
  const membership = await upsertMembership(event, actor, role, teamId);
  return { event, membership };
}

/** The event and my membership; 404 `event_not_found` for non-members. */
export async function getEvent(
  actor: Actor,
  eventId: string,
): Promise<{ event: EventDoc; membership: MembershipDoc }> {
  const membership = await requireMember(actor, eventId);
  const event = await EventModel.findById(membership.eventId).exec();
  if (!event) throw eventNotFound();
  return { event, membership };
}

/** Every event I belong to, the latest start first. */
export async function listMyEvents(
  actor: Actor,
): Promise<{ event: EventDoc; membership: MembershipDoc }[]> {
  const memberships = await MembershipModel.find({ userId: actor.userId }).limit(500).exec();
  if (memberships.length === 0) return [];
  const events = await EventModel.find({ _id: { $in: memberships.map((m) => m.eventId) } }).exec();
  const byId = new Map(events.map((event) => [event.id as string, event]));
  return memberships
    .flatMap((membership) => {
      const event = byId.get(String(membership.eventId));
      return event ? [{ event, membership }] : [];
    })
    .sort((a, b) => b.event.startsAt.getTime() - a.event.startsAt.getTime());
}
