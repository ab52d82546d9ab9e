import { calculateObjectSize, type Document, Long } from 'bson';
import type { ChangeStreamCursor } from './change-streams/stream';
import { MongoError } from './errors';
import { MAX_BSON_OBJECT_SIZE } from './limits';

/** MongoDB caps a reply batch at 16 MB, like a document. */
const MAX_BATCH_BYTES = 16 * 1024 * 1024;
const DEFAULT_FIRST_BATCH = 101;
/** Id 0: the cursor is exhausted (Long values are immutable, so one instance serves all). */
const NO_CURSOR = Long.fromNumber(0);
/** MongoDB's default cursor timeout. */
const IDLE_TIMEOUT_MS = 10 * 60 * 1000;

interface OpenCursor {
  ns: string;
  docs: Document[];
  pos: number;
  transform: ((batch: Document[]) => Document[]) | undefined;
  /** Documents straight from a collection (each already known to fit in 16 MB). */
  storedDocs: boolean;
  lastUsed: number;
}

export interface CursorReply {
  cursor: { id: Long; ns: string; firstBatch?: Document[]; nextBatch?: Document[] };
  ok: 1;
}

/**
 * Open cursors, shared by all connections (a driver may run getMore on another pooled
 * connection). Results are materialised when the cursor opens; documents are immutable
 * snapshots, so later writes do not disturb an open cursor.
 */
export class CursorRegistry {
  private readonly open = new Map<number, OpenCursor>();
  /** Change stream cursors: tailable, so they live until killed, invalidated or idle. */
  private readonly streams = new Map<number, ChangeStreamCursor>();
  private nextId = 1 + Math.floor(Math.random() * 1_000_000);

  get size(): number {
    return this.open.size + this.streams.size;
  }

  /** Registers a change stream cursor and returns its id. */
  openStream(stream: ChangeStreamCursor): number {
    this.sweep();
    const id = this.nextId++;
    this.streams.set(id, stream);
    return id;
  }

  /** True while any change stream is open (most commands then skip the stream checks). */
  get hasStreams(): boolean {
    return this.streams.size > 0;
  }

  stream(id: number): ChangeStreamCursor | undefined {
    return this.streams.get(id);
  }

  /**
   * The next batch, cut at 16 MB. The encoder silently truncates output beyond its buffer,
   * so sizes are checked here; stored documents are known to be within the limit, which
   * spares single-document batches of them (findOne) the measuring.
   */
  private takeBatch(cursor: OpenCursor, batchSize: number | undefined, first: boolean): Document[] {
    // An explicit batchSize 0 on find/aggregate opens the cursor with an empty first batch.
    if (first && batchSize === 0) return [];
    const limit = batchSize && batchSize > 0 ? batchSize : first ? DEFAULT_FIRST_BATCH : Infinity;
    const end = Math.min(cursor.docs.length, cursor.pos + limit);
    let stop = end;
    if (end - cursor.pos > 1 || !cursor.storedDocs) {
      let bytes = 0;
      for (let i = cursor.pos; i < end; i++) {
        const size = calculateObjectSize(cursor.docs[i] as Document);
        if (size > MAX_BSON_OBJECT_SIZE) {
          throw new MongoError(
            'BSONObjectTooLarge',
            `BSONObj size: ${size} is invalid. Size must be between 0 and 16793600(16MB)`,
          );
        }
        bytes += size;
        if (bytes > MAX_BATCH_BYTES && i > cursor.pos) {
          stop = i;
          break;
        }
      }
    }
    let batch = cursor.docs.slice(cursor.pos, stop);
    // Projections only shrink documents, so the measured cut still holds afterwards.
    if (cursor.transform) batch = cursor.transform(batch);
    cursor.pos = stop;
    return batch;
  }

  /** Builds the `find`/`aggregate` reply, keeping the cursor open if documents remain. */
  first(
    ns: string,
    docs: Document[],
    options: {
      batchSize?: number;
      singleBatch?: boolean;
      transform?: (batch: Document[]) => Document[];
      storedDocs?: boolean;
    },
  ): CursorReply {
    const cursor: OpenCursor = {
      ns,
      docs,
      pos: 0,
      transform: options.transform,
      storedDocs: options.storedDocs === true,
      lastUsed: Date.now(),
    };
    const firstBatch = this.takeBatch(cursor, options.batchSize, true);
    let id = 0;
    if (!options.singleBatch && cursor.pos < docs.length) {
      this.sweep();
      id = this.nextId++;
      this.open.set(id, cursor);
    }
    return { cursor: { firstBatch, id: id === 0 ? NO_CURSOR : Long.fromNumber(id), ns }, ok: 1 };
  }

  getMore(id: number, ns: string, batchSize: number | undefined): CursorReply {
    const cursor = this.open.get(id);
    if (!cursor) throw new MongoError('CursorNotFound', `cursor id ${id} not found`);
    if (cursor.ns !== ns) {
      throw new MongoError(
        'BadValue',
        `Requested getMore on namespace '${ns}', but cursor belongs to '${cursor.ns}'`,
      );
    }
    cursor.lastUsed = Date.now();
    const nextBatch = this.takeBatch(cursor, batchSize, false);
    let replyId = id;
    if (cursor.pos >= cursor.docs.length) {
      this.open.delete(id);
      replyId = 0;
    }
    return {
      cursor: { nextBatch, id: replyId === 0 ? NO_CURSOR : Long.fromNumber(replyId), ns },
      ok: 1,
    };
  }

  /** Returns which of the ids were open (and are now closed). */
  kill(ids: number[]): { killed: number[]; notFound: number[] } {
    const killed: number[] = [];
    const notFound: number[] = [];
    for (const id of ids) {
      const stream = this.streams.get(id);
      if (stream) {
        this.streams.delete(id);
        // A getMore waiting on it answers now (CursorNotFound) instead of at its timeout.
        stream.interrupt?.();
        killed.push(id);
        continue;
      }
      (this.open.delete(id) ? killed : notFound).push(id);
    }
    return { killed, notFound };
  }

  /** Drops cursors of a namespace (its collection was dropped). */
  killNamespace(prefix: string): void {
    for (const [id, cursor] of this.open)
      if (cursor.ns === prefix || cursor.ns.startsWith(`${prefix}.`)) this.open.delete(id);
  }

  private sweep(): void {
    const cutoff = Date.now() - IDLE_TIMEOUT_MS;
    for (const [id, cursor] of this.open) if (cursor.lastUsed < cutoff) this.open.delete(id);
    for (const [id, stream] of this.streams) {
      if (stream.lastUsed < cutoff && !stream.interrupt) this.streams.delete(id);
    }
  }
}
