import { Types } from 'mongoose';
import type { ContactTag } from '../../../../shared/contacts';
import { CardModel } from '../cards/cards.model';
import { visibilityOf } from '../cards/cards.presenter';
import { ContactModel } from '../contacts/contacts.model';
import { HandshakeModel } from '../exchange/exchange.model';
import { LeadModel } from '../leads/leads.model';
import {
  EventAttendeeStatsModel,
  EventCompanyNameStatsModel,
  EventCompanyStatsModel,
  EventPairStatsModel,
  EventStatsModel,
  EventTeamStatsModel,
  pairStatsId,
} from './stats.model';
import {
  companyOf,
  flushHandshakeStats,
  forgetAttendeeCompanies,
  tagCounter,
} from './stats.record';

/** What the aggregates of one event are computed from when rebuilt. */
export interface EventStatsSources {
  handshakes: Iterable<{ pairKey: string; createdAt: Date }>;
  /** Contacts from the event. */
  contacts: Iterable<{
    ownerId: { toString(): string };
    otherUserId: { toString(): string };
    tag: ContactTag;
  }>;
  /** Each person's company as their card shows it to others (absent when hidden). */
  companies: ReadonlyMap<string, string | undefined>;
  /** Leads met at the event, per team id. */
  leadsByTeam: ReadonlyMap<string, number>;
}

export interface EventAggregates {
  event: { handshakes: number; cooperation: number; competition: number; untagged: number };
  attendees: { userId: string; lastActiveAt: Date; companyKey: string | null }[];
  companies: { key: string; people: number; handshakes: number }[];
  names: { key: string; name: string; people: number }[];
  pairs: { a: string; b: string; count: number; cooperation: number; competition: number }[];
  teams: { teamId: string; leads: number }[];
}

function bump<K>(map: Map<K, number>, key: K, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

/**
 * The aggregates {@link recordHandshakeStats} and friends would have built, computed in one
 * pass over the sources. Companies come from the cards as they are now (the incremental
 * path uses the card at each person's first handshake; history is not kept).
 */
export function aggregateEventStats(sources: EventStatsSources): EventAggregates {
  const event = { handshakes: 0, cooperation: 0, competition: 0, untagged: 0 };
  const lastActive = new Map<string, Date>();
  const keyOf = new Map<string, string | null>();
  const companyKey = (userId: string): string | null => {
    let key = keyOf.get(userId);
    if (key === undefined)
      keyOf.set(userId, (key = companyOf(sources.companies.get(userId))?.key ?? null));
    return key;
  };
  const companyHandshakes = new Map<string, number>();
  const pairs = new Map<string, EventAggregates['pairs'][number]>();
  const pairOf = (a: string, b: string) => {
    const [x, y] = a < b ? [a, b] : [b, a];
    const id = `${x}\u0000${y}`;
    let pair = pairs.get(id);
    if (!pair) pairs.set(id, (pair = { a: x, b: y, count: 0, cooperation: 0, competition: 0 }));
    return pair;
  };
  for (const { pairKey, createdAt } of sources.handshakes) {
    event.handshakes += 1;
    const users = pairKey.split(':');
    for (const userId of users) {
      const seen = lastActive.get(userId);
      if (!seen || seen < createdAt) lastActive.set(userId, createdAt);
    }
    const [a, b] = users.map(companyKey);
    if (a) bump(companyHandshakes, a);
    if (b && b !== a) bump(companyHandshakes, b);
    if (a && b && a !== b) pairOf(a, b).count += 1;
  }
  for (const contact of sources.contacts) {
    event[tagCounter(contact.tag)] += 1;
    if (contact.tag === 'none') continue;
    const a = companyKey(contact.ownerId.toString());
    const b = companyKey(contact.otherUserId.toString());
    if (a && b && a !== b) pairOf(a, b)[contact.tag] += 1;
  }
  const people = new Map<string, number>();
  const names = new Map<string, { key: string; name: string; people: number }>();
  for (const userId of lastActive.keys()) {
    const company = companyOf(sources.companies.get(userId));
    if (!company) continue;
    bump(people, company.key);
    const id = `${company.key}\u0000${company.name}`;
    const row = names.get(id) ?? { ...company, people: 0 };
    row.people += 1;
    names.set(id, row);
  }
  return {
    event,
    attendees: [...lastActive].map(([userId, lastActiveAt]) => ({
      userId,
      lastActiveAt,
      companyKey: companyKey(userId),
    })),
    companies: [...people].map(([key, n]) => ({
      key,
      people: n,
      handshakes: companyHandshakes.get(key) ?? 0,
    })),
    names: [...names.values()],
    pairs: [...pairs.values()],
    teams: [...sources.leadsByTeam].map(([teamId, leads]) => ({ teamId, leads })),
  };
}

const BATCH = 5_000;

async function insertAll(
  insert: (docs: Record<string, unknown>[]) => Promise<unknown>,
  docs: Record<string, unknown>[],
): Promise<void> {
  for (let i = 0; i < docs.length; i += BATCH) await insert(docs.slice(i, i + BATCH));
}

/** Replaces the event's aggregate documents with `aggregates`. */
export async function writeEventAggregates(
  eventId: Types.ObjectId,
  aggregates: EventAggregates,
): Promise<void> {
  const models = [
    EventStatsModel,
    EventAttendeeStatsModel,
    EventCompanyStatsModel,
    EventCompanyNameStatsModel,
    EventPairStatsModel,
    EventTeamStatsModel,
  ] as const;
  await Promise.all(models.map((m) => m.collection.deleteMany({ eventId })));
  forgetAttendeeCompanies();
  const withEvent = <T extends object>(rows: T[]) => rows.map((row) => ({ eventId, ...row }));
  const oid = (id: string) => new Types.ObjectId(id);
  await EventStatsModel.collection.insertOne({ eventId, ...aggregates.event });
  await Promise.all([
    insertAll(
      (docs) => EventAttendeeStatsModel.collection.insertMany(docs),
      aggregates.attendees.map((row) => ({ eventId, ...row, userId: oid(row.userId) })),
    ),
    insertAll(
      (docs) => EventCompanyStatsModel.collection.insertMany(docs),
      withEvent(aggregates.companies),
    ),
    insertAll(
      (docs) => EventCompanyNameStatsModel.collection.insertMany(docs),
      withEvent(aggregates.names),
    ),
    insertAll(
      (docs) => EventPairStatsModel.collection.insertMany(docs),
      aggregates.pairs.map((row) => ({ _id: pairStatsId(eventId, row.a, row.b), eventId, ...row })),
    ),
    insertAll(
      (docs) => EventTeamStatsModel.collection.insertMany(docs),
      aggregates.teams.map((row) => ({ eventId, ...row, teamId: oid(row.teamId) })),
    ),
  ]);
}

/**
 * Recomputes an event's pulse aggregates from its handshakes, contacts, leads and the
 * participants' cards, reading all of them once (O(handshakes)). For repair after an
 * interrupted write, or for data written before the aggregates existed; run it while the
 * event is quiet, since writes landing during the rebuild may be counted twice or lost.
 */
export async function rebuildEventStats(eventId: Types.ObjectId): Promise<EventAggregates> {
  // Queued deltas would land on top of the recount and count those handshakes twice.
  await flushHandshakeStats();
  const [handshakes, contacts, leads] = await Promise.all([
    HandshakeModel.find({ eventId }, { pairKey: 1, createdAt: 1, _id: 0 })
      .batchSize(20_000)
      .lean<{ pairKey: string; createdAt: Date }[]>(),
    ContactModel.find({ eventIds: eventId }, { ownerId: 1, otherUserId: 1, tag: 1, _id: 0 })
      .batchSize(20_000)
      .lean<{ ownerId: Types.ObjectId; otherUserId: Types.ObjectId; tag: ContactTag }[]>(),
    LeadModel.aggregate<{ _id: Types.ObjectId; leads: number }>([
      { $match: { eventIds: eventId } },
      { $group: { _id: '$teamId', leads: { $sum: 1 } } },
    ]),
  ]);
  const participants = new Set(handshakes.flatMap((h) => h.pairKey.split(':')));
  const cards = await CardModel.find(
    { userId: { $in: [...participants].map((id) => new Types.ObjectId(id)) } },
    { userId: 1, company: 1, 'visibility.company': 1, _id: 0 },
  ).lean<{ userId: Types.ObjectId; company?: string; visibility?: { company?: boolean } }[]>();
  const companies = new Map<string, string | undefined>();
  for (const card of cards) {
    if (!visibilityOf(card).company) continue;
    companies.set(card.userId.toString(), card.company);
  }
  const aggregates = aggregateEventStats({
    handshakes,
    contacts,
    companies,
    leadsByTeam: new Map(leads.map((row) => [row._id.toString(), row.leads])),
  });
  await writeEventAggregates(eventId, aggregates);
  return aggregates;
}
