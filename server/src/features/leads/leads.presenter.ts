import type { Types } from 'mongoose';
import type {
  LeadDetailDto,
  LeadPersonDto,
  LeadSummaryDto,
  LeadUserRefDto,
} from '../../../../shared/leads';
import { UserModel } from '../auth/auth.model';
import { EventModel } from '../events/events.model';
import type { Lead } from './leads.model';

/** A lead as read from the database (lean); the board's reads leave out the arrays. */
export type LeadRecord = Lead & {
  _id: Types.ObjectId;
  createdAt: Date;
  updatedAt: Date;
};

export type NameBook = Map<string, string>;

/** Names of the staff, assignees and note authors a page mentions, in one query. */
export async function loadNames(
  ids: Iterable<Types.ObjectId | null | undefined>,
): Promise<NameBook> {
  const unique = new Map<string, Types.ObjectId>();
  for (const id of ids) if (id) unique.set(id.toString(), id);
  if (unique.size === 0) return new Map();
  const users = await UserModel.find({ _id: { $in: [...unique.values()] } }, { name: 1 }).lean();
  return new Map(users.map((u) => [u._id.toString(), u.name]));
}

function ref(names: NameBook, id: Types.ObjectId): LeadUserRefDto {
  const userId = id.toString();
  return { userId, name: names.get(userId) ?? '' };
}

function personOf(lead: LeadRecord): LeadPersonDto {
  const person: LeadPersonDto = {
    userId: lead.personId.toString(),
    fullName: lead.person.fullName,
  };
  for (const field of ['title', 'company', 'email', 'phone', 'website', 'linkedin'] as const) {
    const value = lead.person[field];
    if (value) person[field] = value;
  }
  return person;
}

export function summaryNameIds(lead: LeadRecord): (Types.ObjectId | null)[] {
  return [...lead.memberIds, lead.assigneeId ?? null];
}

export function presentLeadSummary(lead: LeadRecord, names: NameBook): LeadSummaryDto {
  return {
    id: lead._id.toString(),
    teamId: lead.teamId.toString(),
    person: personOf(lead),
    tag: lead.tag,
    rating: lead.rating ?? null,
    assignee: lead.assigneeId ? ref(names, lead.assigneeId) : null,
    followedUp: lead.followedUp,
    metBy: lead.memberIds.map((id) => ref(names, id)),
    eventIds: lead.eventIds.map(String),
    encounterCount: lead.encounterCount,
    noteCount: lead.noteCount,
    firstMetAt: lead.firstMetAt.toISOString(),
    lastMetAt: lead.lastMetAt.toISOString(),
    updatedAt: lead.updatedAt.toISOString(),
  };
}

/** Every encounter (who, when, which event) and every team note with its author. */
export async function presentLeadDetail(lead: LeadRecord): Promise<LeadDetailDto> {
  const names = await loadNames([
    ...summaryNameIds(lead),
    ...lead.encounters.map((e) => e.memberId),
    ...lead.notes.map((n) => n.authorId),
  ]);
  const events = await EventModel.find({ _id: { $in: lead.eventIds } }, { name: 1 }).lean();
  const eventNames = new Map(events.map((e) => [e._id.toString(), e.name]));
  return {
    ...presentLeadSummary(lead, names),
    encounters: [...lead.encounters]
      .sort((a, b) => a.at.getTime() - b.at.getTime())
      .map((e) => ({
        member: ref(names, e.memberId),
        eventId: e.eventId.toString(),
        eventName: eventNames.get(e.eventId.toString()) ?? '',
        at: e.at.toISOString(),
        handshakeId: e.handshakeId.toString(),
      })),
    notes: lead.notes.map((n) => ({
      author: ref(names, n.authorId),
      text: n.text,
      at: n.at.toISOString(),
    })),
  };
}
