/** find, getMore, killCursors, count, distinct, explain. */
import { type Document, Long } from 'bson';
import { streamGetMoreReply } from '../change-streams/stream';
import type { Collection } from '../engine/collection';
import { rawPathValues } from '../engine/paths';
import { type QueryStats, select, type Selection } from '../engine/select';
import { compareValues, isPlainObject, keyString } from '../engine/values';
import { MongoError } from '../errors';
import {
  checkCollation,
  type CommandContext,
  type CommandHandler,
  collectionName,
  optionalDocument,
  optionalNumber,
  optionalSort,
} from './context';

/** MongoDB refuses a hint naming an index that does not exist. */
export function checkHint(coll: Collection | undefined, hint: unknown): void {
  if (!coll || hint === undefined || hint === null) return;
  if (typeof hint === 'string' && coll.indexes.has(hint)) return;
  if (isPlainObject(hint)) {
    if ('$natural' in hint) return;
    if (Object.keys(hint).length === 0) return;
    if (coll.indexSpecs().some((spec) => keyString(spec.key) === keyString(hint))) return;
  }
  throw new MongoError(
    'BadValue',
    'error processing query: planner returned error :: caused by :: hint provided does not correspond to an existing index',
  );
}

export function optionalBatchSize(cmd: Document): number | undefined {
  const value = optionalNumber(cmd, 'batchSize');
  if (value !== undefined && value < 0) {
    throw new MongoError(
      'BadValue',
      `batchSize value must be non-negative, but received: ${value}`,
    );
  }
  return value;
}

function nonNegative(value: number | undefined, field: string): number {
  if (value !== undefined && value < 0)
    throw new MongoError('BadValue', `${field} value must be non-negative, but received: ${value}`);
  return value ?? 0;
}

function runFind(cmd: Document, ctx: CommandContext): { selection: Selection; name: string } {
  const name = collectionName(cmd, 'find');
  checkCollation(cmd);
  const coll = ctx.engine.getCollection(ctx.db, name);
  checkHint(coll, cmd.hint);
  const skip = nonNegative(optionalNumber(cmd, 'skip'), 'skip');
  const limit = Math.abs(optionalNumber(cmd, 'limit') ?? 0);
  const selection = select(coll, optionalDocument(cmd, 'filter'), {
    sort: optionalSort(cmd, 'sort'),
    skip,
    limit,
  });
  ctx.engine.lastQuery = selection.stats;
  return { selection, name };
}

const find: CommandHandler = (cmd, ctx) => {
  const { selection, name } = runFind(cmd, ctx);
  const projection = optionalDocument(cmd, 'projection');
  const batchSize = optionalBatchSize(cmd);
  const singleBatch = cmd.singleBatch === true || (optionalNumber(cmd, 'limit') ?? 0) < 0;
  const transform =
    projection && Object.keys(projection).length > 0
      ? (batch: Document[]) => selection.filter.project(batch, projection)
      : undefined;
  return ctx.cursors.first(`${ctx.db}.${name}`, selection.docs, {
    batchSize,
    singleBatch,
    transform,
    storedDocs: true,
  });
};

export function cursorIdOf(value: unknown): number {
  if (typeof value === 'number') return value;
  if (value instanceof Long) return value.toNumber();
  throw new MongoError(
    'TypeMismatch',
    "BSON field 'getMore.getMore' is the wrong type, expected type 'long'",
  );
}

const getMore: CommandHandler = (cmd, ctx) => {
  const coll = collectionName(cmd, 'collection');
  const batchSize = optionalBatchSize(cmd);
  const id = cursorIdOf(cmd.getMore);
  const ns = `${ctx.db}.${coll}`;
  const stream = ctx.cursors.stream(id);
  if (stream) {
    if (stream.ns !== ns) {
      throw new MongoError(
        'BadValue',
        `Requested getMore on namespace '${ns}', but cursor belongs to '${stream.ns}'`,
      );
    }
    return streamGetMoreReply(id, stream, batchSize, ctx);
  }
  return ctx.cursors.getMore(id, ns, batchSize);
};

const killCursors: CommandHandler = (cmd, ctx) => {
  collectionName(cmd, 'killCursors');
  const ids = Array.isArray(cmd.cursors) ? cmd.cursors.map(cursorIdOf) : [];
  const { killed, notFound } = ctx.cursors.kill(ids);
  return {
    cursorsKilled: killed.map((id) => Long.fromNumber(id)),
    cursorsNotFound: notFound.map((id) => Long.fromNumber(id)),
    cursorsAlive: [],
    cursorsUnknown: [],
    ok: 1,
  };
};

function runCount(cmd: Document, ctx: CommandContext): { n: number; selection?: Selection } {
  const name = collectionName(cmd, 'count');
  checkCollation(cmd);
  const coll = ctx.engine.getCollection(ctx.db, name);
  checkHint(coll, cmd.hint);
  const skip = nonNegative(optionalNumber(cmd, 'skip'), 'skip');
  const limit = Math.abs(optionalNumber(cmd, 'limit') ?? 0);
  const query = optionalDocument(cmd, 'query');
  if (!coll) return { n: 0 };
  // A count without a filter is metadata, as in MongoDB.
  if ((!query || Object.keys(query).length === 0) && skip === 0 && limit === 0)
    return { n: coll.docs.size };
  const selection = select(coll, query, { skip, limit });
  ctx.engine.lastQuery = selection.stats;
  return { n: selection.docs.length, selection };
}

const count: CommandHandler = (cmd, ctx) => ({ n: runCount(cmd, ctx).n, ok: 1 });

function runDistinct(
  cmd: Document,
  ctx: CommandContext,
): { selection: Selection; values: unknown[] } {
  const name = collectionName(cmd, 'distinct');
  checkCollation(cmd);
  const key: unknown = cmd.key;
  if (typeof key !== 'string')
    throw new MongoError('TypeMismatch', "BSON field 'distinct.key' is missing or not a string");
  const coll = ctx.engine.getCollection(ctx.db, name);
  const selection = select(coll, optionalDocument(cmd, 'query'));
  ctx.engine.lastQuery = selection.stats;
  const seen = new Map<string, unknown>();
  for (const doc of selection.docs) {
    for (const value of rawPathValues(doc, key)) {
      const k = keyString(value);
      if (!seen.has(k)) seen.set(k, value);
    }
  }
  return { selection, values: Array.from(seen.values()).sort(compareValues) };
}

const distinct: CommandHandler = (cmd, ctx) => ({ values: runDistinct(cmd, ctx).values, ok: 1 });

/** The winning plan as MongoDB shows it: a SORT stage on top when matches were sorted in memory. */
function planDocument(stats: QueryStats): Document {
  const access = accessPlan(stats);
  return stats.sortedInMemory ? { stage: 'SORT', inputStage: access } : access;
}

function accessPlan(stats: QueryStats): Document {
  if (stats.stage === 'COLLSCAN') return { stage: 'COLLSCAN' };
  if (stats.stage === 'IDHACK') return { stage: 'IDHACK' };
  if (stats.stage === 'OR') {
    return { stage: 'SUBPLAN', inputStage: { stage: 'FETCH', inputStage: { stage: 'OR' } } };
  }
  return { stage: 'FETCH', inputStage: { stage: 'IXSCAN', indexName: stats.indexName } };
}

/** Runs the explained command and returns what its query did. */
function explainedStats(command: string, inner: Document, ctx: CommandContext): QueryStats {
  switch (command) {
    case 'find':
      return runFind(inner, ctx).selection.stats;
    case 'distinct':
      return runDistinct(inner, ctx).selection.stats;
    case 'count': {
      const counted = runCount(inner, ctx);
      // Without a filter the count is read from the collection's size: nothing examined.
      return (
        counted.selection?.stats ?? {
          stage: 'COLLSCAN',
          keysExamined: 0,
          docsExamined: 0,
          nReturned: counted.n,
        }
      );
    }
    default:
      throw new MongoError(
        'NotImplemented',
        `explain of ${command} is not supported by the embedded store`,
      );
  }
}

const explain: CommandHandler = (cmd, ctx) => {
  const inner = optionalDocument(cmd, 'explain');
  const name = inner ? Object.keys(inner)[0] : undefined;
  if (!inner || !name)
    throw new MongoError('FailedToParse', 'explain command requires a nested object');
  const innerCtx = { ...ctx, db: typeof inner.$db === 'string' ? inner.$db : ctx.db };
  const stats = explainedStats(name.toLowerCase(), inner, innerCtx);
  return {
    explainVersion: '1',
    queryPlanner: {
      namespace: `${innerCtx.db}.${String(inner[name])}`,
      winningPlan: planDocument(stats),
      rejectedPlans: [],
    },
    executionStats: {
      executionSuccess: true,
      nReturned: stats.nReturned,
      executionTimeMillis: 0,
      totalKeysExamined: stats.keysExamined,
      totalDocsExamined: stats.docsExamined,
    },
    command: inner,
    ok: 1,
  };
};

export const findCommands: Record<string, CommandHandler> = {
  find,
  getmore: getMore,
  killcursors: killCursors,
  count,
  distinct,
  explain,
};
