import type { Collection } from 'mongodb';
import { Types } from 'mongoose';
import type { ContactTag } from '../../../../shared/contacts';
import { BoundedMap } from '../../bounded-map';
import { Batcher } from '../../db/batcher';
import { isDuplicateKeyError, unorderedWrite } from '../../http/mongo-errors';
import { foldText } from '../leads/leads.text';
import {
  EventAttendeeStatsModel,
  EventCompanyNameStatsModel,
  EventCompanyStatsModel,
  EventPairStatsModel,
  EventStatsModel,
  EventTeamStatsModel,
  pairStatsId,
} from './stats.model';

/**
 * Write side of the organizer pulse. Every function here is called once per fact, by the
 * write that established it (a handshake created, a tag changed, a lead new at an event),
 * and only adds `$inc` deltas: deltas commute, so concurrent writers end at the right
 * totals without transactions. A crash between a write and its delta leaves the pulse off
 * by that delta; {@link rebuildEventStats} recomputes an event from the source collections.
 * One narrower window: when both people scan each other at the same instant, the contact
 * tags counted are those seen by the request that created the handshake, so a retag of an
 * older contact in that very instant can be counted twice at the new event.
 */

type TagCounter = 'cooperation' | 'competition' | 'untagged';

export function tagCounter(tag: ContactTag): TagCounter {
  return tag === 'none' ? 'untagged' : tag;
}

const UPSERT = { upsert: true } as const;

/** `$inc` document from deltas, without the zero ones (null when nothing moves). */
function incOf(deltas: Record<string, number>): Record<string, number> | null {
  const inc = Object.fromEntries(Object.entries(deltas).filter(([, n]) => n !== 0));
  return Object.keys(inc).length > 0 ? inc : null;
}

/** The company a card shows as the pulse counts it, or undefined when it shows none. */
export function companyOf(name: string | undefined): { key: string; name: string } | undefined {
  const trimmed = (name ?? '').trim();
  const key = foldText(trimmed);
  return key ? { key, name: trimmed } : undefined;
}

function incPair(
  eventId: Types.ObjectId,
  a: string,
  b: string,
  inc: Record<string, number>,
  options: typeof UPSERT,
): Promise<unknown> {
  const [x, y] = a < b ? [a, b] : [b, a];
  return EventPairStatsModel.updateOne(
    { _id: pairStatsId(eventId, x, y) },
    { $inc: inc, $setOnInsert: { eventId, a: x, b: y } },
    options,
  ).exec();
}

/** `$inc` with upsert, retried once: two first upserts of one key race on its unique index. */
async function incUpsert(update: (options: typeof UPSERT) => Promise<unknown>): Promise<void> {
  try {
    await update(UPSERT);
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
    await update(UPSERT);
  }
}

interface BulkOutcome {
  upsertedIds?: Record<number, unknown>;
}

/**
 * Statements per bulk command. A database answers one command at a time per connection and
 * the embedded store one command at a time overall, so a batch of hundreds of upserts in
 * one command would hold up the scans arriving meanwhile; commands this size let them in.
 */
const BULK_CHUNK = 16;

/**
 * Runs unordered upserts, a chunk per command; those that lost a race for a new key on its
 * unique index (11000) are run once more, when the key exists. Resolves to the indexes of
 * the statements that inserted a document.
 */
async function bulkUpsert<Op>(
  run: (ops: Op[]) => Promise<BulkOutcome>,
  ops: Op[],
): Promise<Set<number>> {
  const inserted = new Set<number>();
  for (let start = 0; start < ops.length; start += BULK_CHUNK) {
    const chunk = ops.slice(start, start + BULK_CHUNK);
    const { result, failed, error } = await unorderedWrite(() => run(chunk));
    if ([...failed.values()].some((code) => code !== 11000)) throw error;
    for (const index of Object.keys(result?.upsertedIds ?? {})) {
      inserted.add(start + Number(index));
    }
    if (failed.size > 0) await run([...failed.keys()].map((i) => chunk[i]!));
  }
  return inserted;
}

export interface HandshakeStatsSide {
  userId: string;
  /** The company on this person's card as the other person received it. */
  company: string | undefined;
  /** This person's contact for the other one, as the exchange left it. */
  tag: ContactTag;
}

export interface HandshakeStatsInput {
  eventId: string;
  at: Date;
  sides: readonly [HandshakeStatsSide, HandshakeStatsSide];
}

/**
 * What this node knows of each person's attendee row (by `eventId:userId`): the company
 * they count for there, which never changes once recorded, and the latest `lastActiveAt`
 * it wrote. Bounded; most handshakes need no read to find the company.
 */
interface KnownAttendee {
  companyKey: string | null;
  /** `lastActiveAt` as this node last wrote or read it (ms); the row's is never older. */
  activeAtMs: number;
}
const knownAttendees = new BoundedMap<string, KnownAttendee>(100_000);

/**
 * "Active" is read over a window of minutes (`PULSE_LIMITS.activeWindowMinutes`), so a
 * person's `lastActiveAt` is moved forward only once it is this far behind: someone
 * scanning every few seconds costs one attendee write per half minute, not one per scan.
 */
export const ACTIVE_RESOLUTION_MS = 30_000;

/** After a rebuild recomputed the rows (a rebuild on another node is not seen here). */
export function forgetAttendeeCompanies(): void {
  knownAttendees.clear();
}

function rememberAttendee(key: string, companyKey: string | null, activeAtMs: number): void {
  const known = knownAttendees.get(key);
  if (known) known.activeAtMs = Math.max(known.activeAtMs, activeAtMs);
  else knownAttendees.set(key, { companyKey, activeAtMs });
}

interface AttendeeEntry {
  key: string;
  eventId: Types.ObjectId;
  userId: Types.ObjectId;
  lastActiveAt: Date;
  /** The company this person would count for if this is their first handshake here. */
  company: { key: string; name: string } | undefined;
}

/**
 * Marks everyone in `batch` active at their event and returns, per `eventId:userId`, the
 * company they count for there. A person's first handshake at an event fixes it (from the
 * card the other person received, so a hidden company is never counted) and counts them
 * as one more person of it; the upsert that inserts their row decides which request that is.
 * A person whose row this node wrote less than {@link ACTIVE_RESOLUTION_MS} before is
 * already marked active closely enough: no write.
 */
async function enterAttendees(batch: readonly HandshakeStatsInput[]) {
  const entries = new Map<string, AttendeeEntry>();
  for (const item of batch) {
    for (const side of item.sides) {
      const key = `${item.eventId}:${side.userId}`;
      const entry = entries.get(key);
      if (entry) {
        if (entry.lastActiveAt < item.at) entry.lastActiveAt = item.at;
        continue;
      }
      entries.set(key, {
        key,
        eventId: new Types.ObjectId(item.eventId),
        userId: new Types.ObjectId(side.userId),
        lastActiveAt: item.at,
        company: companyOf(side.company),
      });
    }
  }
  const companies = new Map<string, string | null>();
  const rows: AttendeeEntry[] = [];
  for (const entry of entries.values()) {
    const known = knownAttendees.get(entry.key);
    if (known && entry.lastActiveAt.getTime() - known.activeAtMs < ACTIVE_RESOLUTION_MS) {
      companies.set(entry.key, known.companyKey);
    } else {
      rows.push(entry);
    }
  }
  const inserted = await bulkUpsert(
    (ops) => EventAttendeeStatsModel.collection.bulkWrite(ops, { ordered: false }),
    rows.map((row) => ({
      updateOne: {
        filter: { eventId: row.eventId, userId: row.userId },
        update: {
          $max: { lastActiveAt: row.lastActiveAt },
          $setOnInsert: { companyKey: row.company?.key ?? null },
        },
        upsert: true,
      },
    })),
  );
  const unknown: AttendeeEntry[] = [];
  const people: { eventId: Types.ObjectId; company: { key: string; name: string } }[] = [];
  rows.forEach((row, i) => {
    const known = knownAttendees.get(row.key);
    if (inserted.has(i)) {
      companies.set(row.key, row.company?.key ?? null);
      if (row.company) people.push({ eventId: row.eventId, company: row.company });
    } else if (known) {
      companies.set(row.key, known.companyKey);
    } else {
      unknown.push(row);
    }
  });
  if (unknown.length > 0) {
    const found = await EventAttendeeStatsModel.find(
      {
        eventId: { $in: [...new Set(unknown.map((row) => String(row.eventId)))] },
        userId: { $in: unknown.map((row) => row.userId) },
      },
      { eventId: 1, userId: 1, companyKey: 1, _id: 0 },
    ).lean();
    for (const row of found) companies.set(`${row.eventId}:${row.userId}`, row.companyKey ?? null);
  }
  for (const row of rows) {
    if (!companies.has(row.key)) continue;
    rememberAttendee(row.key, companies.get(row.key) ?? null, row.lastActiveAt.getTime());
  }
  return { companies, people };
}

/** The counters of each pulse collection (their schema defaults are 0). */
const EVENT_COUNTERS = ['handshakes', 'cooperation', 'competition', 'untagged'] as const;
const COMPANY_COUNTERS = ['people', 'handshakes'] as const;
const COMPANY_NAME_COUNTERS = ['people'] as const;
const PAIR_COUNTERS = ['count', 'cooperation', 'competition'] as const;

/** One aggregate row's share of a batch: which row, and the deltas summed for it. */
interface CounterRow {
  filter: Record<string, unknown>;
  inc: Record<string, number>;
  /** Fields a new row gets besides its counters. */
  onInsert?: Record<string, unknown>;
}

/** Adds 1 to `field` of the row under `key`, made by `row()` the first time. */
function addTo(
  rows: Map<string, CounterRow>,
  key: string,
  row: () => Omit<CounterRow, 'inc'>,
  field: string,
): void {
  let entry = rows.get(key);
  if (!entry) rows.set(key, (entry = { ...row(), inc: {} }));
  entry.inc[field] = (entry.inc[field] ?? 0) + 1;
}

/**
 * Writes a batch's rows to their collection as `$inc` upserts, through the driver: these
 * run for every batch of scans, and mongoose's casting of them cost as much main-thread
 * time as the writes. A new row gets what mongoose's schema defaults gave it: 0 for each
 * counter its update does not move.
 */
function writeCounters(
  collection: Pick<Collection, 'bulkWrite'>,
  rows: Map<string, CounterRow>,
  counters: readonly string[],
): Promise<Set<number>> {
  const ops = [...rows.values()].map(({ filter, inc, onInsert: extra }) => {
    const onInsert = { ...extra };
    for (const counter of counters) if (!(counter in inc)) onInsert[counter] = 0;
    return {
      updateOne: {
        filter,
        update: {
          $inc: inc,
          ...(Object.keys(onInsert).length > 0 ? { $setOnInsert: onInsert } : {}),
        },
        upsert: true,
      },
    };
  });
  return bulkUpsert((chunk) => collection.bulkWrite(chunk, { ordered: false }), ops);
}

/**
 * Handshakes were created (first scan of each pair at its event; never a re-scan): per
 * event one more handshake each and two more contacts under their current tags; per
 * company its people and handshakes; per company pair its handshakes and tags. A whole
 * batch costs a handful of bulk writes, whatever its size: the deltas are summed per row.
 */
export async function recordHandshakeStats(batch: readonly HandshakeStatsInput[]): Promise<void> {
  if (batch.length === 0) return;
  const { companies, people } = await enterAttendees(batch);
  const events = new Map<string, CounterRow>();
  const companyRows = new Map<string, CounterRow>();
  const names = new Map<string, CounterRow>();
  const pairs = new Map<string, CounterRow>();
  const oid = (id: string) => new Types.ObjectId(id);
  const companyRow = (eventId: string, key: string) => () => ({
    filter: { eventId: oid(eventId), key },
  });
  for (const { eventId, company } of people) {
    const event = String(eventId);
    addTo(companyRows, `${event}:${company.key}`, companyRow(event, company.key), 'people');
    addTo(
      names,
      JSON.stringify([event, company.key, company.name]),
      () => ({ filter: { eventId, key: company.key, name: company.name } }),
      'people',
    );
  }
  for (const item of batch) {
    const { eventId } = item;
    const eventRow = () => ({ filter: { eventId: oid(eventId) } });
    addTo(events, eventId, eventRow, 'handshakes');
    for (const side of item.sides) addTo(events, eventId, eventRow, tagCounter(side.tag));
    const [first, second] = item.sides;
    const a = companies.get(`${eventId}:${first.userId}`);
    const b = companies.get(`${eventId}:${second.userId}`);
    for (const key of new Set([a, b])) {
      if (key) addTo(companyRows, `${eventId}:${key}`, companyRow(eventId, key), 'handshakes');
    }
    if (a && b && a !== b) {
      const [x, y] = a < b ? [a, b] : [b, a];
      const _id = pairStatsId(eventId, x, y);
      const pairRow = () => ({ filter: { _id }, onInsert: { eventId: oid(eventId), a: x, b: y } });
      addTo(pairs, _id, pairRow, 'count');
      for (const side of item.sides) if (side.tag !== 'none') addTo(pairs, _id, pairRow, side.tag);
    }
  }
  await Promise.all([
    writeCounters(EventStatsModel.collection, events, EVENT_COUNTERS),
    writeCounters(EventCompanyStatsModel.collection, companyRows, COMPANY_COUNTERS),
    writeCounters(EventCompanyNameStatsModel.collection, names, COMPANY_NAME_COUNTERS),
    writeCounters(EventPairStatsModel.collection, pairs, PAIR_COUNTERS),
  ]);
}

/** What a tag change needs of the contact as it was just before the change. */
export interface TaggedContactBefore {
  ownerId: Types.ObjectId;
  otherUserId: Types.ObjectId;
  eventIds: Types.ObjectId[];
  tag: ContactTag;
}

/**
 * The owner changed a contact's tag: at every event the contact came from, one contact
 * moves from the old tag's count to the new one, on the event and on the company pair.
 * `before` must be the pre-image of the very update that set `tag`.
 */
export async function recordTagChange(before: TaggedContactBefore, tag: ContactTag): Promise<void> {
  if (before.tag === tag || before.eventIds.length === 0) return;
  // The handshake that brought this contact may still be queued: its attendee rows and
  // counts land first, so the move below finds the companies and has something to move.
  await flushHandshakeStats();
  const eventDeltas = incOf({ [tagCounter(before.tag)]: -1, [tagCounter(tag)]: 1 }) ?? {};
  const pairDeltas: Record<string, number> = { cooperation: 0, competition: 0 };
  if (before.tag !== 'none') pairDeltas[before.tag]! -= 1;
  if (tag !== 'none') pairDeltas[tag]! += 1;
  const pairInc = incOf(pairDeltas) ?? {};
  const attendees = await EventAttendeeStatsModel.find(
    { eventId: { $in: before.eventIds }, userId: { $in: [before.ownerId, before.otherUserId] } },
    { eventId: 1, userId: 1, companyKey: 1, _id: 0 },
  ).lean();
  const companyAt = (eventId: Types.ObjectId, userId: Types.ObjectId) =>
    attendees.find((row) => row.eventId.equals(eventId) && row.userId.equals(userId))?.companyKey;
  const writes: Promise<void>[] = [];
  for (const eventId of before.eventIds) {
    writes.push(
      incUpsert((o) => EventStatsModel.updateOne({ eventId }, { $inc: eventDeltas }, o).exec()),
    );
    const a = companyAt(eventId, before.ownerId);
    const b = companyAt(eventId, before.otherUserId);
    if (!a || !b || a === b) continue;
    writes.push(incUpsert((o) => incPair(eventId, a, b, pairInc, o)));
  }
  await Promise.all(writes);
}

/** A team's lead was met at an event for the first time: one more lead there. */
export async function recordLeadAtEvent(eventId: string, teamId: Types.ObjectId): Promise<void> {
  const filter = { eventId: new Types.ObjectId(eventId), teamId };
  await incUpsert((o) => EventTeamStatsModel.updateOne(filter, { $inc: { leads: 1 } }, o).exec());
}

/**
 * Handshake stats are derived data (rebuildable from the handshakes and contacts), so the
 * scan is answered first and they are recorded just after, a batch at a time: one write per
 * aggregate collection for however many handshakes arrived within 200 ms. Everything that
 * reads or adjusts the aggregates calls {@link flushHandshakeStats} first, so on this node
 * a read always includes the handshakes already answered. A crash loses at most the pending
 * batch (a fraction of a second of handshakes) from the counters; `rebuildEventStats`
 * repairs it.
 */
interface PendingStats {
  input: HandshakeStatsInput;
  onError: (err: unknown) => void;
}

const handshakeStats = new Batcher<PendingStats, void>(
  async (items) => {
    try {
      await recordHandshakeStats(items.map((item) => item.input));
    } catch (err) {
      // One report per failed batch; every handshake in it is still answered as recorded.
      items[items.length - 1]?.onError(err);
    }
    return items.map(() => undefined);
  },
  { delayMs: 200, maxBatch: 500, maxInFlight: 1 },
);

/** Queues a created handshake's stats; `onRecorded` runs once its batch is written (or failed). */
export function queueHandshakeStats(
  input: HandshakeStatsInput,
  onRecorded: () => void,
  onError: (err: unknown) => void,
): void {
  void handshakeStats.submit({ input, onError }).then(onRecorded);
}

/** Writes every queued handshake's stats; resolves when all queued so far are written. */
export function flushHandshakeStats(): Promise<void> {
  return handshakeStats.flush();
}
