import { Types } from 'mongoose';
import type { ContactTag } from '../../../../shared/contacts';
import { isDuplicateKeyError } from '../../http/mongo-errors';
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

/**
 * Marks the person active at the event and returns the company they count for there. The
 * first handshake at an event fixes it (from the card the other person received, so a
 * hidden company is never counted); it then also counts as one more person of it.
 */
async function enterAttendee(
  eventId: Types.ObjectId,
  userId: string,
  company: string | undefined,
  at: Date,
): Promise<string | null> {
  const found = companyOf(company);
  const filter = { eventId, userId: new Types.ObjectId(userId) };
  const update = { $max: { lastActiveAt: at }, $setOnInsert: { companyKey: found?.key ?? null } };
  const options = { returnDocument: 'before', projection: { companyKey: 1 } } as const;
  let before: { companyKey?: string | null } | null;
  try {
    before = await EventAttendeeStatsModel.findOneAndUpdate(filter, update, {
      ...options,
      upsert: true,
    }).lean();
  } catch (err) {
    // Two first handshakes of the same person at once: the other one inserted.
    if (!isDuplicateKeyError(err)) throw err;
    before = await EventAttendeeStatsModel.findOneAndUpdate(filter, update, options).lean();
  }
  if (before) return before.companyKey ?? null;
  if (!found) return null;
  const { key, name } = found;
  await Promise.all([
    incUpsert((o) =>
      EventCompanyStatsModel.updateOne({ eventId, key }, { $inc: { people: 1 } }, o).exec(),
    ),
    incUpsert((o) =>
      EventCompanyNameStatsModel.updateOne(
        { eventId, key, name },
        { $inc: { people: 1 } },
        o,
      ).exec(),
    ),
  ]);
  return found.key;
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

export interface HandshakeStatsSide {
  userId: string;
  /** The company on this person's card as the other person received it. */
  company: string | undefined;
  /** This person's contact for the other one, as the exchange left it. */
  tag: ContactTag;
}

/**
 * A handshake was created (first scan of this pair at this event; never for a re-scan):
 * one more handshake, two more contacts from the event under their current tags, the
 * companies' handshake counts and their pair.
 */
export async function recordHandshakeStats(input: {
  eventId: string;
  at: Date;
  sides: readonly [HandshakeStatsSide, HandshakeStatsSide];
}): Promise<void> {
  const eventId = new Types.ObjectId(input.eventId);
  const [first, second] = input.sides;
  const [a, b] = await Promise.all(
    input.sides.map((side) => enterAttendee(eventId, side.userId, side.company, input.at)),
  );
  const deltas: Record<string, number> = { handshakes: 1 };
  for (const side of input.sides) {
    const field = tagCounter(side.tag);
    deltas[field] = (deltas[field] ?? 0) + 1;
  }
  const writes: Promise<void>[] = [
    incUpsert((o) => EventStatsModel.updateOne({ eventId }, { $inc: deltas }, o).exec()),
  ];
  for (const key of new Set([a, b])) {
    if (key === null || key === undefined) continue;
    writes.push(
      incUpsert((o) =>
        EventCompanyStatsModel.updateOne({ eventId, key }, { $inc: { handshakes: 1 } }, o).exec(),
      ),
    );
  }
  if (a && b && a !== b) {
    const pair: Record<string, number> = { count: 1, cooperation: 0, competition: 0 };
    for (const side of [first, second]) if (side.tag !== 'none') pair[side.tag]! += 1;
    const inc = incOf(pair) ?? {};
    writes.push(incUpsert((o) => incPair(eventId, a, b, inc, o)));
  }
  await Promise.all(writes);
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
