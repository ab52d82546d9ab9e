import { Types, type QueryFilter } from 'mongoose';
import type { VisibleCardDto } from '../../../../shared/card';
import type {
  ContactDto,
  ContactFilter,
  ContactListQuery,
  ContactListResponse,
  ContactUpdate,
} from '../../../../shared/contacts';
import { Batcher } from '../../db/batcher';
import { NotFoundError } from '../../errors';
import { isDuplicateKeyError, unorderedWrite } from '../../http/mongo-errors';
import type { RealtimeServer } from '../../realtime/io';
import type { Actor } from '../auth/actor';
import { type Contact, ContactModel } from './contacts.model';
import { presentContact, type ContactRecord } from './contacts.presenter';
import { pushContactUpdated, pushCooperationMatch } from './contacts.realtime';
import { decodeCursor, encodeCursor, searchPattern, searchTextOf } from './contacts.search';
import { notifyEventStatsChanged } from '../stats/stats.realtime';
import { recordTagChange } from '../stats/stats.record';

const OBJECT_ID = /^[0-9a-f]{24}$/i;

function contactNotFound(): NotFoundError {
  return new NotFoundError('contact_not_found', 'Contact not found.');
}

/** The owner's contacts matching a filter (no cursor, no sort). */
function filterQuery(actor: Actor, filter: ContactFilter): QueryFilter<Contact> {
  const query: QueryFilter<Contact> = { ownerId: new Types.ObjectId(actor.userId) };
  if (filter.eventId) query.eventIds = new Types.ObjectId(filter.eventId);
  if (filter.tag) query.tag = filter.tag === 'untagged' ? 'none' : filter.tag;
  const pattern = filter.q ? searchPattern(filter.q) : '';
  if (pattern) query.searchText = { $regex: pattern };
  return query;
}

const NEWEST_FIRST = { createdAt: -1, _id: -1 } as const;

/** `GET /api/contacts`: newest first, stable cursor over (createdAt, _id). */
export async function listContacts(
  actor: Actor,
  input: ContactListQuery,
): Promise<ContactListResponse> {
  const query = filterQuery(actor, input);
  if (input.cursor) {
    const after = decodeCursor(input.cursor);
    query.$or = [
      { createdAt: { $lt: after.createdAt } },
      { createdAt: after.createdAt, _id: { $lt: after.id } },
    ];
  }
  const rows = await ContactModel.find(query)
    .sort(NEWEST_FIRST)
    .limit(input.limit + 1)
    .lean<ContactRecord[]>();
  const page = rows.slice(0, input.limit);
  const last = page[page.length - 1];
  return {
    items: page.map(presentContact),
    nextCursor: rows.length > input.limit && last ? encodeCursor(last.createdAt, last._id) : null,
  };
}

/**
 * Every contact of the actor matching the filter, newest first, read from a database
 * cursor one at a time so exports of any size stream in constant memory.
 */
export async function* iterateContacts(
  actor: Actor,
  filter: ContactFilter,
): AsyncGenerator<ContactDto> {
  const cursor = ContactModel.find(filterQuery(actor, filter))
    .sort(NEWEST_FIRST)
    .lean<ContactRecord[]>()
    .cursor({ batchSize: 200 });
  try {
    for await (const row of cursor) yield presentContact(row as unknown as ContactRecord);
  } finally {
    await cursor.close();
  }
}

async function findOwned(actor: Actor, contactId: string): Promise<ContactRecord> {
  if (!OBJECT_ID.test(contactId)) throw contactNotFound();
  const contact = await ContactModel.findOne({
    _id: new Types.ObjectId(contactId),
    ownerId: new Types.ObjectId(actor.userId),
  }).lean<ContactRecord>();
  if (!contact) throw contactNotFound();
  return contact;
}

/** One of the actor's contacts; someone else's id or a malformed one is 404 `contact_not_found`. */
export async function getContact(actor: Actor, contactId: string): Promise<ContactDto> {
  return presentContact(await findOwned(actor, contactId));
}

export interface ContactDeps {
  io: RealtimeServer;
}

/**
 * `PATCH /api/contacts/:contactId`. Pushes `contact:updated` to the owner and, when this
 * change completes a mutual co-operation tag, `match:cooperation` to both people.
 */
export async function updateContact(
  deps: ContactDeps,
  actor: Actor,
  contactId: string,
  input: ContactUpdate,
  requestId?: string,
): Promise<ContactDto> {
  if (!OBJECT_ID.test(contactId)) throw contactNotFound();
  const set: Record<string, unknown> = {};
  if (input.tag !== undefined) set.tag = input.tag;
  if (input.rating !== undefined) set.rating = input.rating;
  if (input.note !== undefined) set.note = input.note;
  if (input.followUp !== undefined) {
    set.followUp = input.followUp
      ? {
          done: input.followUp.done,
          dueAt: input.followUp.dueAt ? new Date(input.followUp.dueAt) : null,
        }
      : null;
  }
  // The pre-image tells the organizers' pulse which tag this very update replaced.
  const before = await ContactModel.findOneAndUpdate(
    { _id: new Types.ObjectId(contactId), ownerId: new Types.ObjectId(actor.userId) },
    { $set: set },
    { returnDocument: 'before' },
  ).lean<ContactRecord>();
  if (!before) throw contactNotFound();
  let contact = await ContactModel.findById(before._id).lean<ContactRecord>();
  if (!contact) throw contactNotFound();
  // The organizers' pulse counts tags per event (aggregates only; throttled per event).
  if (input.tag !== undefined) {
    await recordTagChange(before, input.tag);
    for (const eventId of before.eventIds) notifyEventStatsChanged(deps.io, String(eventId));
  }
  if (contact.tag === 'cooperation' && !contact.cooperationMatchedAt) {
    contact = (await matchCooperation(deps, contact)) ?? contact;
  }
  const dto = presentContact(contact);
  pushContactUpdated(deps.io, actor.userId, {
    contactId: dto.id,
    updatedAt: dto.updatedAt,
    contact: dto,
    ...(requestId ? { requestId } : {}),
  });
  return dto;
}

/**
 * When the other person already tagged the owner co-operation, records the match on both
 * contacts and pushes it to both, once. The contact of the lower user id is the arbiter:
 * only the request that sets its `cooperationMatchedAt` goes on, so two people tagging
 * each other at the same moment still produce one match. Returns the owner's contact
 * with the match, or undefined when there is none.
 */
async function matchCooperation(
  deps: ContactDeps,
  mine: ContactRecord,
): Promise<ContactRecord | undefined> {
  const theirs = await ContactModel.findOne({
    ownerId: mine.otherUserId,
    otherUserId: mine.ownerId,
    tag: 'cooperation',
  }).lean<ContactRecord>();
  if (!theirs) return undefined;
  const mineFirst = String(mine.ownerId) < String(theirs.ownerId);
  const [first, second] = mineFirst ? [mine, theirs] : [theirs, mine];
  const matchedAt = new Date();
  const won = await ContactModel.updateOne(
    { _id: first._id, tag: 'cooperation', cooperationMatchedAt: null },
    { $set: { cooperationMatchedAt: matchedAt } },
  );
  if (won.modifiedCount === 0) return undefined;
  await ContactModel.updateOne(
    { _id: second._id, cooperationMatchedAt: null },
    { $set: { cooperationMatchedAt: matchedAt } },
  );
  const [mineNow, theirsNow] = await Promise.all([
    ContactModel.findById(mine._id).lean<ContactRecord>(),
    ContactModel.findById(theirs._id).lean<ContactRecord>(),
  ]);
  const eventId = lastEventId(mine);
  for (const [contact, other] of [
    [mine, theirs],
    [theirs, mine],
  ] as const) {
    pushCooperationMatch(deps.io, String(contact.ownerId), {
      ...(eventId ? { eventId } : {}),
      contactId: String(contact._id),
      other: otherSummary(String(other.ownerId), contact.card),
      matchedAt: matchedAt.toISOString(),
    });
  }
  if (theirsNow) {
    const dto = presentContact(theirsNow);
    pushContactUpdated(deps.io, String(theirs.ownerId), {
      contactId: dto.id,
      updatedAt: dto.updatedAt,
      contact: dto,
    });
  }
  return mineNow ?? undefined;
}

function lastEventId(contact: ContactRecord): string | undefined {
  const last = contact.eventIds[contact.eventIds.length - 1];
  return last ? String(last) : undefined;
}

function otherSummary(
  userId: string,
  card: VisibleCardDto,
): { userId: string; fullName: string; company?: string } {
  return { userId, fullName: card.fullName, ...(card.company ? { company: card.company } : {}) };
}

export interface ExchangeRecord {
  ownerId: string;
  otherUserId: string;
  card: VisibleCardDto;
  eventId: string;
  teamId: string | null;
  at: Date;
}

/** The upsert that gives `record.ownerId` their contact for the other person. */
function exchangeUpsertOf(record: ExchangeRecord) {
  const filter = {
    ownerId: new Types.ObjectId(record.ownerId),
    otherUserId: new Types.ObjectId(record.otherUserId),
  };
  const set = {
    card: record.card,
    searchText: searchTextOf(record.card),
    lastMetAt: record.at,
    updatedAt: record.at,
  };
  const eventId = new Types.ObjectId(record.eventId);
  const setOnInsert = {
    teamId: record.teamId ? new Types.ObjectId(record.teamId) : null,
    tag: 'none' as const,
    rating: null,
    note: '',
    followUp: null,
    cooperationMatchedAt: null,
    createdAt: record.at,
  };
  return {
    filter,
    update: { $set: set, $addToSet: { eventIds: eventId }, $setOnInsert: setOnInsert },
    /** The document the upsert inserts when there was none, given its new `_id`. */
    inserted: (_id: unknown) =>
      ({ _id, ...filter, ...set, eventIds: [eventId], ...setOnInsert }) as unknown as ContactRecord,
  };
}

const pairOf = (ownerId: unknown, otherUserId: unknown) =>
  `${String(ownerId)}:${String(otherUserId)}`;

/** One contact upsert on its own, retried when it loses a first-insert race. */
async function upsertExchangeContact(record: ExchangeRecord): Promise<ContactRecord> {
  const { filter, update } = exchangeUpsertOf(record);
  for (let attempt = 1; ; attempt += 1) {
    try {
      // The driver's findOneAndUpdate: every field and default is spelled out above, and
      // mongoose's casting costs as much as the write itself on the scan path.
      const contact = await ContactModel.collection.findOneAndUpdate(filter, update, {
        upsert: true,
        returnDocument: 'after',
      });
      if (!contact) throw new Error('contact upsert returned no document');
      return contact as unknown as ContactRecord;
    } catch (err) {
      if (!isDuplicateKeyError(err) || attempt >= 3) throw err;
    }
  }
}

/**
 * The contact upserts of concurrent scans, as one unordered bulk write. A statement that
 * inserted is answered from what it wrote; the contacts that already existed are read
 * back in one query. A statement that failed (two first upserts of one pair racing on the
 * unique index, across nodes) runs again on its own.
 */
async function upsertExchangeContacts(
  records: readonly ExchangeRecord[],
): Promise<(ContactRecord | Error)[]> {
  if (records.length === 1) return [await upsertExchangeContact(records[0] as ExchangeRecord)];
  const upserts = records.map(exchangeUpsertOf);
  const { result, failed: failures } = await unorderedWrite(() =>
    ContactModel.collection.bulkWrite(
      upserts.map(({ filter, update }) => ({ updateOne: { filter, update, upsert: true } })),
      { ordered: false },
    ),
  );
  const failed = new Set(failures.keys());
  const upsertedIds: Record<number, unknown> = result?.upsertedIds ?? {};
  const outcomes: (ContactRecord | undefined)[] = upserts.map((upsert, i) => {
    const insertedId = upsertedIds[i];
    return insertedId === undefined ? undefined : upsert.inserted(insertedId);
  });
  const existing = upserts.filter((_, i) => outcomes[i] === undefined && !failed.has(i));
  if (existing.length > 0) {
    const found = await ContactModel.collection
      .find({ $or: existing.map((upsert) => upsert.filter) })
      .toArray();
    const byPair = new Map(found.map((doc) => [pairOf(doc.ownerId, doc.otherUserId), doc]));
    upserts.forEach((upsert, i) => {
      if (outcomes[i] !== undefined || failed.has(i)) return;
      const doc = byPair.get(pairOf(upsert.filter.ownerId, upsert.filter.otherUserId));
      if (doc) outcomes[i] = doc as unknown as ContactRecord;
      else failed.add(i);
    });
  }
  return Promise.all(
    records.map((record, i) =>
      failed.has(i)
        ? upsertExchangeContact(record).catch((err: unknown) =>
            err instanceof Error ? err : new Error(String(err)),
          )
        : (outcomes[i] as ContactRecord),
    ),
  );
}

const exchangeContacts = new Batcher(upsertExchangeContacts);

/**
 * Gives the owner a contact for the other person after a handshake, or refreshes the one
 * they have: newest card snapshot, one more event met at. Idempotent, so a retried scan
 * may run it again. Two concurrent first upserts race on the unique (owner, other) index;
 * the loser simply runs again and updates the winner's document. Concurrent scans share
 * one bulk write (see {@link Batcher}).
 */
export function recordExchangeContact(record: ExchangeRecord): Promise<ContactRecord> {
  return exchangeContacts.submit(record);
}
