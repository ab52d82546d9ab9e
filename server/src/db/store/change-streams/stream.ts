/**
 * Collection change streams: `aggregate` with `$changeStream` first opens a tailable cursor;
 * `getMore` on it returns the committed changes since its position, waiting up to
 * `maxTimeMS` (default 1 s, like MongoDB) for new ones without blocking the event loop.
 * Every reply carries `postBatchResumeToken`, which the driver resumes from after a
 * dropped connection or a killed cursor.
 */
import { calculateObjectSize, type Document, Long } from 'bson';
import { Aggregator } from 'mingo/aggregator';
import type { CommandContext } from '../commands/context';
import { pipelineOptions } from '../engine/query';
import { deepClone, isPlainObject, valuesEqual } from '../engine/values';
import type { Engine } from '../engine/engine';
import { MongoError, toMongoError } from '../errors';
import { MAX_BSON_OBJECT_SIZE } from '../limits';
import { changeEvent, type FullDocumentMode } from './events';
import type { ChangeLog } from './log';
import { compareTimestamps, decodeToken, encodeToken, isTimestamp } from './tokens';

/** MongoDB's wait for an awaitData getMore that names no maxTimeMS. */
const DEFAULT_AWAIT_MS = 1000;
const MAX_BATCH_BYTES = 16 * 1024 * 1024;
/** Stages MongoDB allows after `$changeStream`. */
const ALLOWED_STAGES = new Set([
  '$match',
  '$project',
  '$addFields',
  '$set',
  '$unset',
  '$replaceRoot',
  '$replaceWith',
  '$redact',
]);
const STAGE_OPTIONS = new Set([
  'fullDocument',
  'fullDocumentBeforeChange',
  'resumeAfter',
  'startAfter',
  'startAtOperationTime',
  'allChangesForCluster',
  'showExpandedEvents',
]);

const historyLost = (): MongoError =>
  new MongoError(
    'ChangeStreamHistoryLost',
    'Resume of change stream was not possible, as the resume point may no longer be in the oplog.',
  );

export interface PollResult {
  batch: Document[];
  postBatchResumeToken: Document;
}

/** An open change stream: its position in the change history and what it returns. */
export class ChangeStreamCursor {
  lastUsed = Date.now();
  /** True once it returned an invalidate event: the cursor is then closed. */
  invalidated = false;
  /** Set while a getMore waits on this cursor, so killCursors can answer it at once. */
  interrupt: (() => void) | undefined;
  private readonly aggregator: Aggregator | undefined;
  private readonly copyEvents: boolean;

  constructor(
    readonly db: string,
    readonly coll: string,
    private position: number,
    pipeline: Document[],
    private readonly fullDocument: FullDocumentMode,
  ) {
    this.aggregator =
      pipeline.length > 0
        ? new Aggregator(
            pipeline,
            pipelineOptions(() => []),
          )
        : undefined;
    // Events hold stored documents, which stages other than $match could modify.
    this.copyEvents = pipeline.some((stage) => Object.keys(stage)[0] !== '$match');
  }

  get ns(): string {
    return `${this.db}.${this.coll}`;
  }

  /** Runs the stream's own stages on one event; undefined when they filter it out. */
  private transform(event: Document): Document | undefined {
    if (!this.aggregator) return event;
    let out: Document | undefined;
    try {
      out = this.aggregator.run<Document>([this.copyEvents ? deepClone(event) : event])[0];
    } catch (error) {
      throw toMongoError(error);
    }
    if (out && !valuesEqual(out._id, event._id)) {
      throw new MongoError(
        'ChangeStreamFatalError',
        'Encountered an event whose _id field, which contains the resume token, was modified by the pipeline. Modifying the _id field of an event makes it impossible to resume the stream from that point. Only transformations that retain the unmodified _id field are allowed.',
      );
    }
    return out;
  }

  /** The committed changes after the cursor's position, up to `batchSize` and 16 MB. */
  poll(engine: Engine, batchSize: number | undefined): PollResult {
    const log = engine.changes;
    const batch: Document[] = [];
    const limit = batchSize && batchSize > 0 ? batchSize : Infinity;
    let bytes = 0;
    let stopped = false;
    const lookup = (db: string, coll: string, id: unknown): Document | null =>
      engine.getCollection(db, coll)?.getById(id) ?? null;
    for (const change of log.committedAfter(this.ns, this.position)) {
      if (batch.length >= limit) {
        stopped = true;
        break;
      }
      const event = changeEvent(change, log.epoch, this.fullDocument, lookup);
      if (change.kind === 'invalidate') {
        batch.push(event);
        this.position = change.seq;
        this.invalidated = true;
        stopped = true;
        break;
      }
      const out = this.transform(event);
      if (out) {
        const size = calculateObjectSize(out);
        if (size > MAX_BSON_OBJECT_SIZE) {
          throw new MongoError(
            'BSONObjectTooLarge',
            `BSONObj size: ${size} is invalid. Size must be between 0 and 16793600(16MB)`,
          );
        }
        if (bytes + size > MAX_BATCH_BYTES && batch.length > 0) {
          stopped = true;
          break;
        }
        bytes += size;
        batch.push(out);
      }
      this.position = change.seq;
    }
    // Having read everything committed, the stream stands at the latest commit.
    if (!stopped) this.position = Math.max(this.position, log.committed);
    return {
      batch,
      postBatchResumeToken: encodeToken(log.epoch, this.position, this.invalidated),
    };
  }
}

interface StageSpec {
  fullDocument: FullDocumentMode;
  position: (log: ChangeLog, ns: string) => number;
}

function parseStage(value: unknown): StageSpec {
  if (!isPlainObject(value)) {
    throw new MongoError(
      'TypeMismatch',
      "BSON field '$changeStream' is the wrong type, expected type 'object'",
    );
  }
  for (const key of Object.keys(value)) {
    if (!STAGE_OPTIONS.has(key)) {
      throw new MongoError(
        'Location40415',
        `BSON field '$changeStream.${key}' is an unknown field.`,
      );
    }
  }
  const fullDocument: unknown = value.fullDocument ?? 'default';
  if (fullDocument !== 'default' && fullDocument !== 'updateLookup') {
    if (fullDocument === 'whenAvailable' || fullDocument === 'required') {
      throw new MongoError(
        'NotImplemented',
        `fullDocument '${fullDocument}' needs post-images, which the embedded store does not keep`,
      );
    }
    throw new MongoError(
      'BadValue',
      `Enumeration value '${String(fullDocument)}' for field '$changeStream.fullDocument' is not a valid value.`,
    );
  }
  const before: unknown = value.fullDocumentBeforeChange ?? 'off';
  if (before !== 'off') {
    throw new MongoError(
      'NotImplemented',
      'fullDocumentBeforeChange needs pre-images, which the embedded store does not keep',
    );
  }
  if (value.allChangesForCluster === true) {
    throw new MongoError(
      'NotImplemented',
      'cluster-wide change streams are not supported by the embedded store',
    );
  }
  if (value.showExpandedEvents === true) {
    throw new MongoError(
      'NotImplemented',
      'showExpandedEvents is not supported by the embedded store',
    );
  }
  const starts = ['resumeAfter', 'startAfter', 'startAtOperationTime'].filter(
    (key) => value[key] !== undefined && value[key] !== null,
  );
  if (starts.length > 1) {
    throw new MongoError(
      'Location40674',
      'Only one type of resume option is allowed, but multiple were found.',
    );
  }
  const start = starts[0];
  if (start === undefined) {
    return { fullDocument, position: (log, ns) => (log.watch(ns), log.committed) };
  }
  if (start === 'startAtOperationTime') {
    const time: unknown = value.startAtOperationTime;
    if (!isTimestamp(time)) {
      throw new MongoError(
        'TypeMismatch',
        "BSON field '$changeStream.startAtOperationTime' is the wrong type, expected type 'timestamp'",
      );
    }
    return {
      fullDocument,
      position: (log, ns) => {
        const history = log.watch(ns);
        if (compareTimestamps(time, history.completeAfterTime) <= 0) throw historyLost();
        return log.positionBefore(ns, time);
      },
    };
  }
  const point = decodeToken(value[start], start);
  return {
    fullDocument,
    position: (log, ns) => {
      if (point.invalidate && start === 'resumeAfter') {
        throw new MongoError(
          'InvalidResumeToken',
          "Attempting to resume a change stream using 'resumeAfter' is not allowed from an invalidate notification.",
        );
      }
      // Tokens of an earlier run of the store: its history is gone.
      if (point.epoch !== log.epoch || point.seq > log.mark()) throw historyLost();
      const history = log.watch(ns);
      if (point.seq < history.completeAfter) throw historyLost();
      return point.seq;
    },
  };
}

/** `aggregate` whose first stage is `$changeStream`: opens the stream's cursor. */
export function openChangeStream(
  target: unknown,
  pipeline: Document[],
  batchSize: number | undefined,
  ctx: CommandContext,
): Document {
  if (typeof target !== 'string') {
    throw new MongoError(
      'NotImplemented',
      'database-wide change streams are not supported by the embedded store',
    );
  }
  const spec = parseStage(pipeline[0]?.$changeStream);
  const rest = pipeline.slice(1);
  for (const stage of rest) {
    const name = Object.keys(stage)[0] as string;
    if (!ALLOWED_STAGES.has(name)) {
      throw new MongoError(
        'IllegalOperation',
        `${name} is not permitted in a $changeStream pipeline`,
      );
    }
  }
  const ns = `${ctx.db}.${target}`;
  const position = spec.position(ctx.engine.changes, ns);
  const stream = new ChangeStreamCursor(ctx.db, target, position, rest, spec.fullDocument);
  const first =
    batchSize === 0
      ? { batch: [], postBatchResumeToken: encodeToken(ctx.engine.changes.epoch, position) }
      : stream.poll(ctx.engine, batchSize);
  const id = stream.invalidated ? 0 : ctx.cursors.openStream(stream);
  return {
    cursor: {
      firstBatch: first.batch,
      postBatchResumeToken: first.postBatchResumeToken,
      id: Long.fromNumber(id),
      ns,
    },
    ok: 1,
  };
}

/** A getMore reply for a change stream, closing the cursor after an invalidate event. */
export function streamGetMoreReply(
  id: number,
  stream: ChangeStreamCursor,
  batchSize: number | undefined,
  ctx: CommandContext,
): Document {
  stream.lastUsed = Date.now();
  const { batch, postBatchResumeToken } = stream.poll(ctx.engine, batchSize);
  if (stream.invalidated) ctx.cursors.kill([id]);
  return {
    cursor: {
      nextBatch: batch,
      postBatchResumeToken,
      id: Long.fromNumber(stream.invalidated ? 0 : id),
      ns: stream.ns,
    },
    ok: 1,
  };
}

/**
 * Answers a getMore on a change stream that has nothing to return yet: waits for a change
 * of its namespace (or `maxTimeMS`, or killCursors) and then replies. Returns undefined
 * for every other command, which then runs as usual.
 */
export function awaitChangeStream(
  cmd: Document,
  ctx: CommandContext,
  parse: { cursorId: (value: unknown) => number; batchSize: (cmd: Document) => number | undefined },
): Promise<Document> | undefined {
  if (!ctx.cursors.hasStreams || cmd.getMore === undefined) return undefined;
  let id: number;
  let batchSize: number | undefined;
  try {
    id = parse.cursorId(cmd.getMore);
    batchSize = parse.batchSize(cmd);
  } catch {
    return undefined;
  }
  const stream = ctx.cursors.stream(id);
  if (!stream || stream.ns !== `${ctx.db}.${String(cmd.collection)}`) return undefined;
  const maxTimeMS = typeof cmd.maxTimeMS === 'number' ? cmd.maxTimeMS : DEFAULT_AWAIT_MS;
  if (!(maxTimeMS > 0) || stream.interrupt) return undefined;
  const deadline = Date.now() + maxTimeMS;
  const log = ctx.engine.changes;
  return (async () => {
    for (;;) {
      if (ctx.cursors.stream(id) !== stream) {
        return new MongoError('CursorNotFound', `cursor id ${id} not found`).toReply();
      }
      let reply: Document;
      try {
        reply = streamGetMoreReply(id, stream, batchSize, ctx);
      } catch (error) {
        return toMongoError(error).toReply();
      }
      const remaining = deadline - Date.now();
      if ((reply.cursor as Document).nextBatch.length > 0 || stream.invalidated || remaining <= 0)
        return reply;
      const wait = log.waitFor(stream.ns, remaining);
      stream.interrupt = wait.cancel;
      await wait.done;
      stream.interrupt = undefined;
    }
  })();
}
