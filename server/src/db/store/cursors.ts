import { calculateObjectSize, type Document, Long } from 'bson';
import { MongoError } from './errors';

/** Reply batches stay well under the 48 MB message limit. */
const MAX_BATCH_BYTES = 16 * 1024 * 1024;
const DEFAULT_FIRST_BATCH = 101;
/** MongoDB's default cursor timeout. */
const IDLE_TIMEOUT_MS = 10 * 60 * 1000;

interface OpenCursor {
  ns: string;
  docs: Document[];
  pos: number;
  transform: ((batch: Document[]) => Document[]) | undefined;
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
  private nextId = 1 + Math.floor(Math.random() * 1_000_000);

  get size(): number {
    return this.open.size;
  }

  private takeBatch(cursor: OpenCursor, batchSize: number | undefined, first: boolean): Document[] {
    const limit = batchSize && batchSize > 0 ? batchSize : first ? DEFAULT_FIRST_BATCH : Infinity;
    const end = Math.min(cursor.docs.length, cursor.pos + limit);
    let batch = cursor.docs.slice(cursor.pos, end);
    if (cursor.transform) batch = cursor.transform(batch);
    if (batch.length > DEFAULT_FIRST_BATCH) {
      let bytes = 0;
      for (let i = 0; i < batch.length; i++) {
        bytes += calculateObjectSize(batch[i] as Document);
        if (bytes > MAX_BATCH_BYTES && i > 0) {
          // Untransformed positions map one to one onto the transformed batch.
          batch = batch.slice(0, i);
          break;
        }
      }
    }
    cursor.pos += batch.length;
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
    },
  ): CursorReply {
    const cursor: OpenCursor = {
      ns,
      docs,
      pos: 0,
      transform: options.transform,
      lastUsed: Date.now(),
    };
    const firstBatch = this.takeBatch(cursor, options.batchSize, true);
    let id = 0;
    if (!options.singleBatch && cursor.pos < docs.length) {
      this.sweep();
      id = this.nextId++;
      this.open.set(id, cursor);
    }
    return { cursor: { firstBatch, id: Long.fromNumber(id), ns }, ok: 1 };
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
    return { cursor: { nextBatch, id: Long.fromNumber(replyId), ns }, ok: 1 };
  }

  /** Returns which of the ids were open (and are now closed). */
  kill(ids: number[]): { killed: number[]; notFound: number[] } {
    const killed: number[] = [];
    const notFound: number[] = [];
    for (const id of ids) (this.open.delete(id) ? killed : notFound).push(id);
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
  }
}
