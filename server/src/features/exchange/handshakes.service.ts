import { Types } from 'mongoose';
import type { ContactDto } from '../../../../shared/contacts';
import {
  EXCHANGE_LIMITS,
  type HandshakeCreate,
  type HandshakeDto,
} from '../../../../shared/exchange';
import { Batcher } from '../../db/batcher';
import { AppError, NotFoundError } from '../../errors';
import { unorderedWrite } from '../../http/mongo-errors';
import type { Logger } from '../../logger';
import type { RealtimeServer } from '../../realtime/io';
import type { Actor } from '../auth/actor';
import { presentContact } from '../contacts/contacts.presenter';
import { recordExchangeContact } from '../contacts/contacts.service';
import { recordLeadsForHandshake, staffTeamOf } from '../leads/leads.capture';
import { MembershipModel } from '../events/events.model';
import { notifyEventStatsChanged } from '../stats/stats.realtime';
import { queueHandshakeStats } from '../stats/stats.record';
import { resolveScannedCode, type CodeDeps } from './exchange.codes';
import { HandshakeModel, pairKeyOf } from './exchange.model';
import { presentHandshake, type HandshakeRecord } from './exchange.presenter';
import { pushHandshake } from './exchange.realtime';
import { visibleCards } from './exchange.cards';
import { codeInvalid } from './exchange.tokens';

export interface HandshakeDeps extends CodeDeps {
  io: RealtimeServer;
  logger: Logger;
}

export interface HandshakeResult {
  /** True for the first scan of this pair at this event (201). */
  created: boolean;
  handshake: HandshakeDto;
  contact: ContactDto;
}

const unprocessable = (code: string, message: string) => new AppError(422, code, message);
const eventNotFound = () => new NotFoundError('event_not_found', 'This event does not exist.');
const OBJECT_ID = /^[0-9a-f]{24}$/;

/** When the scan happened, checked against the offline window and the server clock. */
function scanTime(scannedAt: string | undefined, nowMs: number): number {
  if (scannedAt === undefined) return nowMs;
  const ms = Date.parse(scannedAt);
  if (ms > nowMs + EXCHANGE_LIMITS.clockSkewSeconds * 1000) {
    throw unprocessable('scanned_at_in_future', 'The scan time is in the future.');
  }
  if (nowMs - ms > EXCHANGE_LIMITS.offlineWindowSeconds * 1000) {
    throw unprocessable('scanned_at_too_old', 'This scan is more than 24 hours old.');
  }
  return ms;
}

interface MembershipRow {
  eventId: Types.ObjectId;
  userId: Types.ObjectId;
  teamId?: Types.ObjectId | null;
}

/**
 * The memberships of the people in concurrent scans, in one query: each scan gets the rows
 * of its own event and people.
 */
async function lookUpMemberships(
  lookups: readonly { eventId: string; userIds: string[] }[],
): Promise<MembershipRow[][]> {
  const byEvent = new Map<string, Set<string>>();
  for (const { eventId, userIds } of lookups) {
    const people = byEvent.get(eventId) ?? new Set<string>();
    for (const id of userIds) people.add(id);
    byEvent.set(eventId, people);
  }
  const clauses = [...byEvent].map(([eventId, people]) => ({
    eventId: new Types.ObjectId(eventId),
    userId: { $in: [...people].map((id) => new Types.ObjectId(id)) },
  }));
  const rows = await MembershipModel.collection
    .find<MembershipRow>(clauses.length === 1 ? clauses[0]! : { $or: clauses }, {
      projection: { eventId: 1, userId: 1, teamId: 1 },
    })
    .toArray();
  const byKey = new Map(rows.map((row) => [`${String(row.eventId)}:${String(row.userId)}`, row]));
  return lookups.map(({ eventId, userIds }) =>
    userIds.flatMap((userId) => byKey.get(`${eventId}:${userId}`) ?? []),
  );
}

const eventMemberships = new Batcher(lookUpMemberships);

/**
 * First scans of concurrent requests, as one unordered insert. Each resolves to true when
 * its handshake was inserted, false when the pair's handshake already exists (the unique
 * index said so); any other failure fails that scan alone.
 */
async function insertHandshakes(docs: readonly HandshakeRecord[]): Promise<(boolean | Error)[]> {
  // The driver's insert, not `Model.create`: these documents are built here from validated
  // input, and skipping document hydration and validation halves the cost of the write on
  // the hottest path. The unique index still decides.
  const { failed } = await unorderedWrite(() =>
    HandshakeModel.collection.insertMany([...docs], { ordered: false }),
  );
  return docs.map((_, i) => {
    if (!failed.has(i)) return true;
    const code = failed.get(i);
    return code === 11000 ? false : new Error(`handshake not stored (${String(code)})`);
  });
}

const handshakeInserts = new Batcher(insertHandshakes);

interface StoredScan {
  handshake: HandshakeRecord;
  created: boolean;
  /** False for a retried clientRef: nothing changed, nothing is pushed. */
  counted: boolean;
}

/**
 * One handshake per event and unordered pair. Insert first; when the unique index says it
 * exists, count this scan on the existing one (never check-then-insert). A clientRef is
 * stored as `<scanner>:<ref>` and the update is conditional on its absence, so the same
 * retry arriving many times at once counts once.
 */
async function storeScan(
  actor: Actor,
  otherId: string,
  eventId: string,
  input: HandshakeCreate,
  scannedAt: Date,
  receivedAt: Date,
): Promise<StoredScan> {
  const eventOid = new Types.ObjectId(eventId);
  const pairKey = pairKeyOf(actor.userId, otherId);
  const refKey = input.clientRef ? `${actor.userId}:${input.clientRef}` : undefined;
  const doc: HandshakeRecord = {
    _id: new Types.ObjectId(),
    eventId: eventOid,
    pairKey,
    userIds: [actor.userId, otherId].sort().map((id) => new Types.ObjectId(id)),
    initiatorId: new Types.ObjectId(actor.userId),
    otherId: new Types.ObjectId(otherId),
    method: input.method,
    scannedAt,
    receivedAt,
    scanCount: 1,
    mutual: false,
    clientRefs: refKey ? [refKey] : [],
    createdAt: receivedAt,
    updatedAt: receivedAt,
  };
  if (await handshakeInserts.submit(doc)) return { handshake: doc, created: true, counted: true };
  const existing = await HandshakeModel.findOne({
    eventId: eventOid,
    pairKey,
  }).lean<HandshakeRecord>();
  if (!existing) throw new Error('handshake vanished after a duplicate key error');
  if (refKey && existing.clientRefs.includes(refKey)) {
    return { handshake: existing, created: false, counted: false };
  }
  const scanBack = String(existing.initiatorId) !== actor.userId;
  const updated = await HandshakeModel.findOneAndUpdate(
    refKey ? { _id: existing._id, clientRefs: { $ne: refKey } } : { _id: existing._id },
    {
      $inc: { scanCount: 1 },
      ...(refKey ? { $push: { clientRefs: { $each: [refKey], $slice: -200 } } } : {}),
      ...(scanBack ? { $set: { mutual: true } } : {}),
    },
    { returnDocument: 'after' },
  ).lean<HandshakeRecord>();
  if (updated) return { handshake: updated, created: false, counted: true };
  // Another request with the same clientRef got there first.
  const current = await HandshakeModel.findById(existing._id).lean<HandshakeRecord>();
  return { handshake: current ?? existing, created: false, counted: false };
}

/**
 * `POST /api/events/:eventId/handshakes`. The scanner must already be a member of the
 * event; the scanned code must belong to this event and to someone else.
 * Both people get a contact, then `handshake:created` is pushed to both.
 */
export async function createHandshake(
  deps: HandshakeDeps,
  actor: Actor,
  eventId: string,
  input: HandshakeCreate,
): Promise<HandshakeResult> {
  const now = Date.now();
  const scannedAtMs = scanTime(input.scannedAt, now);
  if (!OBJECT_ID.test(eventId)) throw eventNotFound();
  const code = await resolveScannedCode(deps, input.code, eventId, Math.min(scannedAtMs, now));
  const otherId = code.userId;
  const people = otherId === actor.userId ? [actor.userId] : [actor.userId, otherId];
  const [memberships, cards] = await Promise.all([
    eventMemberships.submit({ eventId, userIds: people }),
    visibleCards(people),
  ]);
  const membershipOf = (userId: string) =>
    memberships.find((row) => String(row.userId) === userId) ?? null;
  const membership = membershipOf(actor.userId);
  const otherMembership = otherId === actor.userId ? null : membershipOf(otherId);
  // Scanning does not join: the client joins first, so nobody lands in an event by
  // scanning a stray code. Not a member and no such event look the same.
  if (!membership) throw eventNotFound();
  if (code.eventId !== eventId) {
    throw unprocessable('code_wrong_event', 'This code is for another event.');
  }
  if (otherId === actor.userId) {
    throw unprocessable('self_handshake', 'That is your own code.');
  }
  const myCard = cards.get(actor.userId);
  const otherCard = cards.get(otherId);
  // The code is genuine but its owner left the event or deleted their account.
  if (!otherMembership || !otherCard || !myCard) throw codeInvalid();

  const receivedAt = new Date(now);
  const stored = await storeScan(actor, otherId, eventId, input, new Date(scannedAtMs), receivedAt);
  // Always (re)run: a retry repairs contacts if a previous attempt stopped half-way.
  const [mine, theirs] = await Promise.all([
    recordExchangeContact({
      ownerId: actor.userId,
      otherUserId: otherId,
      card: otherCard,
      eventId,
      teamId: membership.teamId ? String(membership.teamId) : null,
      at: receivedAt,
    }),
    recordExchangeContact({
      ownerId: otherId,
      otherUserId: actor.userId,
      card: myCard,
      eventId,
      teamId: otherMembership.teamId ? String(otherMembership.teamId) : null,
      at: receivedAt,
    }),
  ]);
  // Staff capture leads for their team (idempotent per handshake, so a retry repairs too).
  await recordLeadsForHandshake(deps, {
    handshakeId: String(stored.handshake._id),
    eventId,
    at: stored.handshake.scannedAt,
    sides: [
      {
        ownerId: actor.userId,
        otherUserId: otherId,
        card: otherCard,
        teamId: staffTeamOf(membership),
      },
      {
        ownerId: otherId,
        otherUserId: actor.userId,
        card: myCard,
        teamId: staffTeamOf(otherMembership),
      },
    ],
  });
  // The organizer pulse counts each handshake once, when it is created (never a re-scan),
  // with the companies the two cards show and the contacts' tags as just written. Derived
  // data: recorded in a batch just after this answer (see stats.record).
  if (stored.created) {
    queueHandshakeStats(
      {
        eventId,
        at: receivedAt,
        sides: [
          { userId: actor.userId, company: myCard.company, tag: mine.tag },
          { userId: otherId, company: otherCard.company, tag: theirs.tag },
        ],
      },
      () => notifyEventStatsChanged(deps.io, eventId),
      (err) => deps.logger.error({ err, eventId }, 'handshake stats not recorded'),
    );
  }
  if (stored.counted) pushHandshake(deps.io, stored.handshake, mine, theirs);
  return {
    created: stored.created,
    handshake: presentHandshake(stored.handshake, actor.userId),
    contact: presentContact(mine),
  };
}
