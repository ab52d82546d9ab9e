import { Types } from 'mongoose';
import type { VisibleCardDto } from '../../../../shared/card';
import { isDuplicateKeyError } from '../../http/mongo-errors';
import type { RealtimeServer } from '../../realtime/io';
import { recordLeadAtEvent } from '../stats/stats.record';
import { TeamModel } from '../teams/teams.model';
import { LeadModel } from './leads.model';
import { notifyLeadUpdated } from './leads.realtime';
import { foldText } from './leads.text';

/** One side of a handshake: `memberId` met `personId` and received their visible card. */
export interface LeadCaptureSide {
  /** The staff member (contact owner). */
  ownerId: string;
  /** The person met. */
  otherUserId: string;
  /** What the owner received: the other's visible card. */
  card: VisibleCardDto;
  /** The team whose stand the owner staffs at this event (membership.teamId), if any. */
  teamId: string | null;
}

export interface HandshakeLeadInput {
  handshakeId: string;
  eventId: string;
  at: Date;
  sides: LeadCaptureSide[];
}

export interface LeadCaptureDeps {
  io: RealtimeServer;
}

const PERSON_FIELDS = ['title', 'company', 'email', 'phone', 'website', 'linkedin'] as const;

function personOf(card: VisibleCardDto) {
  const person: Record<string, string> = { fullName: card.fullName };
  for (const field of PERSON_FIELDS) person[field] = card[field] ?? '';
  return person;
}

function searchTextOf(card: VisibleCardDto): string {
  return foldText([card.fullName, card.company, card.title, card.email].filter(Boolean).join(' '));
}

/**
 * Records the person each staff member met as a lead of their team: creates the lead on
 * the first encounter, appends an encounter otherwise. Called by the exchange flow after
 * the contacts are written (the exchange flow tells the organizer pulse); each change is
 * pushed to the team's room so open boards refresh.
 * Idempotent per handshake: a retried or repeated scan adds nothing and pushes nothing.
 */
export async function recordLeadsForHandshake(
  deps: LeadCaptureDeps,
  input: HandshakeLeadInput,
): Promise<void> {
  const staffed = input.sides.filter((side) => side.teamId !== null);
  if (staffed.length > 0) {
    const teamIds = staffed.map((side) => new Types.ObjectId(side.teamId ?? undefined));
    const teams = await TeamModel.find({ _id: { $in: teamIds } }, { members: 1 }).lean();
    for (const side of staffed) {
      const team = teams.find((t) => t._id.toString() === side.teamId);
      if (!team) continue;
      const memberIds = new Set(team.members.map((m) => m.userId.toString()));
      // Only current staff feed the board, and colleagues meeting each other are not leads.
      if (!memberIds.has(side.ownerId) || memberIds.has(side.otherUserId)) continue;
      const change = await upsertLead(team._id, side, input);
      if (!change) continue;
      // The organizer pulse counts the people each team met at the event, once each.
      if (change.newAtEvent) await recordLeadAtEvent(input.eventId, team._id);
      notifyLeadUpdated(deps.io, {
        teamId: team._id.toString(),
        leadId: change.leadId,
        created: change.created,
      });
    }
  }
}

interface LeadChange {
  leadId: string;
  created: boolean;
  /** The lead is new at this event (created, or met here the first time). */
  newAtEvent: boolean;
}

/** Adds the encounter; null when this handshake was already recorded (nothing changed). */
async function upsertLead(
  teamId: Types.ObjectId,
  side: LeadCaptureSide,
  input: HandshakeLeadInput,
): Promise<LeadChange | null> {
  const handshakeId = new Types.ObjectId(input.handshakeId);
  const memberId = new Types.ObjectId(side.ownerId);
  const eventId = new Types.ObjectId(input.eventId);
  // The handshake guard in the filter makes a repeat a no-op; when the lead exists with
  // this encounter already, the upsert's insert hits the unique (team, person) index.
  const filter = {
    teamId,
    personId: new Types.ObjectId(side.otherUserId),
    'encounters.handshakeId': { $ne: handshakeId },
  };
  const update = {
    $set: {
      person: personOf(side.card),
      nameKey: foldText(side.card.fullName),
      companyKey: foldText(side.card.company ?? ''),
      searchText: searchTextOf(side.card),
    },
    $push: { encounters: { memberId, eventId, at: input.at, handshakeId } },
    $addToSet: { memberIds: memberId, eventIds: eventId },
    $inc: { encounterCount: 1 },
    $min: { firstMetAt: input.at },
    $max: { lastMetAt: input.at },
  };
  // The pre-image says whether this update brought the lead to the event.
  const options = { returnDocument: 'before', projection: { eventIds: 1 } } as const;
  const appended = (before: { _id: Types.ObjectId; eventIds?: Types.ObjectId[] }) => ({
    leadId: before._id.toString(),
    created: false,
    newAtEvent: !(before.eventIds ?? []).some((id) => id.equals(eventId)),
  });
  try {
    // With the result's metadata: an insert reports the new lead's id as `upserted`.
    const result = await LeadModel.findOneAndUpdate(filter, update, {
      ...options,
      upsert: true,
      lean: true,
      includeResultMetadata: true,
    });
    if (result.value) return appended(result.value);
    const upserted: unknown = result.lastErrorObject?.upserted;
    return { leadId: String(upserted), created: true, newAtEvent: true };
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
    // Either a colleague created the lead a moment ago (append to it) or this handshake is
    // already recorded (the guarded filter matches nothing: done).
    const before = await LeadModel.findOneAndUpdate(filter, update, options).lean();
    return before ? appended(before) : null;
  }
}

/** The team a membership staffs for, as the capture expects it. */
export function staffTeamOf(membership: { teamId?: unknown }): string | null {
  return membership.teamId ? String(membership.teamId) : null;
}
