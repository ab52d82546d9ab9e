import { Types } from 'mongoose';
import { z } from 'zod';
import type { LeadFilter, LeadSort } from '../../../../shared/leads';
import { ValidationError } from '../../errors';
import { escapeRegex, foldText } from './leads.text';

type Query = Record<string, unknown>;

const DAY_MS = 86_400_000;

/** A date-only `to` includes that whole day. */
function bound(value: string, end: boolean): Date {
  const date = new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
  return end && value.length === 10 ? new Date(date.getTime() + DAY_MS - 1) : date;
}

/**
 * The board's filters as one MongoDB query within the team. Event, staff member and date
 * range apply to the same encounter ("met by Ana at the opening night"), so they go in
 * one `$elemMatch`. Search matches every word, folded, anywhere in name/company/title/email.
 */
export function leadQuery(teamId: Types.ObjectId, filter: LeadFilter): Query {
  const query: Query = { teamId };
  const and: Query[] = [];
  const encounter: Query = {};
  if (filter.eventId) encounter.eventId = new Types.ObjectId(filter.eventId);
  if (filter.memberId) encounter.memberId = new Types.ObjectId(filter.memberId);
  if (filter.from || filter.to) {
    const at: Query = {};
    if (filter.from) at.$gte = bound(filter.from, false);
    if (filter.to) at.$lte = bound(filter.to, true);
    encounter.at = at;
  }
  const encounterKeys = Object.keys(encounter);
  if (encounterKeys.length === 1 && encounter.eventId) {
    // Alone, the event filter uses the (teamId, eventIds) index.
    query.eventIds = encounter.eventId;
  } else if (encounterKeys.length > 0) {
    if (encounter.eventId) query.eventIds = encounter.eventId;
    query.encounters = { $elemMatch: encounter };
  }
  if (filter.tag) query.tag = filter.tag === 'untagged' ? 'none' : filter.tag;
  if (filter.rating) query.rating = filter.rating;
  if (filter.assigneeId) query.assigneeId = new Types.ObjectId(filter.assigneeId);
  if (filter.followedUp) query.followedUp = filter.followedUp === 'true';
  const words = filter.q ? foldText(filter.q).split(/\s+/).filter(Boolean).slice(0, 8) : [];
  for (const word of words) and.push({ searchText: { $regex: escapeRegex(word) } });
  if (and.length > 0) query.$and = and;
  return query;
}

interface SortKey {
  field: string;
  dir: 1 | -1;
}

export const SORT_KEYS: Record<LeadSort, SortKey[]> = {
  recent: [
    { field: 'lastMetAt', dir: -1 },
    { field: '_id', dir: -1 },
  ],
  name: [
    { field: 'nameKey', dir: 1 },
    { field: '_id', dir: 1 },
  ],
  company: [
    { field: 'companyKey', dir: 1 },
    { field: 'nameKey', dir: 1 },
    { field: '_id', dir: 1 },
  ],
};

export function sortSpec(sort: LeadSort): Record<string, 1 | -1> {
  return Object.fromEntries(SORT_KEYS[sort].map((k) => [k.field, k.dir]));
}

type CursorValue = string | Date | Types.ObjectId;

const CursorSchema = z.tuple([z.enum(['recent', 'name', 'company'])]).rest(z.string().max(200));

/** Opaque keyset cursor: the sort and the last item's sort values, base64url JSON. */
export function encodeCursor(sort: LeadSort, doc: Record<string, unknown>): string {
  const values = SORT_KEYS[sort].map(({ field }) => {
    const value = doc[field];
    return value instanceof Date ? value.toISOString() : String(value);
  });
  return Buffer.from(JSON.stringify([sort, ...values])).toString('base64url');
}

const invalidCursor = () =>
  new ValidationError('The request is not valid.', [
    { path: 'cursor', message: 'The cursor is not valid.' },
  ]);

/** The keyset condition "after the cursor" for the sort; a foreign or forged cursor is a 400. */
export function cursorQuery(sort: LeadSort, cursor: string): Query {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  const parsed = CursorSchema.safeParse(decoded);
  const keys = SORT_KEYS[sort];
  if (!parsed.success || parsed.data[0] !== sort || parsed.data.length !== keys.length + 1) {
    throw invalidCursor();
  }
  const raw = parsed.data.slice(1) as string[];
  const values: CursorValue[] = keys.map(({ field }, i) => {
    const value = raw[i] ?? '';
    if (field === '_id') {
      if (!/^[0-9a-f]{24}$/.test(value)) throw invalidCursor();
      return new Types.ObjectId(value);
    }
    if (field.endsWith('At')) {
      const date = new Date(value);
      if (Number.isNaN(date.getTime())) throw invalidCursor();
      return date;
    }
    return value;
  });
  // (k1 > v1) or (k1 = v1 and k2 > v2) or ... in each key's direction. The plain bound on
  // k1 beside it is redundant for the result but lets the index walk start at the cursor
  // instead of testing every earlier lead (on MongoDB it becomes the index bounds).
  const or: Query[] = keys.map((key, i) => {
    const clause: Query = {};
    for (let j = 0; j < i; j += 1) clause[keys[j]!.field] = values[j];
    clause[key.field] = { [key.dir === 1 ? '$gt' : '$lt']: values[i] };
    return clause;
  });
  const first = keys[0]!;
  return { [first.field]: { [first.dir === 1 ? '$gte' : '$lte']: values[0] }, $or: or };
}

/** The same encounter filters, applied in memory (stats count matching encounters only). */
export function encounterMatcher(
  filter: LeadFilter,
): (encounter: { memberId: Types.ObjectId; eventId: Types.ObjectId; at: Date }) => boolean {
  const from = filter.from ? bound(filter.from, false).getTime() : -Infinity;
  const to = filter.to ? bound(filter.to, true).getTime() : Infinity;
  return (e) =>
    (!filter.eventId || e.eventId.toString() === filter.eventId) &&
    (!filter.memberId || e.memberId.toString() === filter.memberId) &&
    e.at.getTime() >= from &&
    e.at.getTime() <= to;
}
