/**
 * The embedded MongoDB-compatible store: an in-memory engine behind the MongoDB wire protocol
 * on loopback, optionally made durable by a journal under `dbpath`.
 */
import { FileDurability } from './journal/file-durability';
import type { Durability, JournalRecord } from './journal/types';
import { CursorRegistry } from './store/cursors';
import { Engine } from './store/engine/engine';
import { sweepExpired } from './store/engine/ttl';
import { type LogFn, StoreServer } from './store/server';

export interface EmbeddedStoreOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /**
   * Listen on this Unix socket instead of TCP (its name must end in `.sock`, which is how
   * the driver tells a socket path from a host name).
   */
  socketPath?: string;
  /** Directory for the journal; null or undefined keeps everything in memory. */
  dbpath?: string | null;
  onLog?: (msg: string, meta?: Record<string, unknown>) => void;
  /** How often TTL indexes are swept; MongoDB's default is 60 s, ours 1 s. 0 disables. */
  ttlIntervalMs?: number;
  /**
   * Compact the journal after this many records were appended since the last compaction.
   * By default: 200,000 records or twice the number of stored documents, whichever is more,
   * so the cost of rewriting the state stays proportional to the writes that grew the journal.
   */
  compactAfterRecords?: number;
}

export interface EmbeddedStore {
  /** mongodb://127.0.0.1:<port>, or mongodb://<url-encoded socket path> */
  uri: string;
  port: number;
  /** The engine behind the server (tests read `engine.lastQuery`). */
  engine: Engine;
  /** Runs one TTL sweep now; resolves to the number of documents removed. */
  sweepExpired(now?: Date): Promise<number>;
  close(): Promise<void>;
}

const DEFAULT_COMPACT_AFTER = 200_000;

/** Starts the store and resolves once it accepts connections. */
export async function startEmbeddedStore(
  options: EmbeddedStoreOptions = {},
): Promise<EmbeddedStore> {
  const host = options.host ?? '127.0.0.1';
  const log: LogFn = options.onLog ?? (() => undefined);
  const engine = new Engine();
  const cursors = new CursorRegistry();
  let durability: Durability | undefined;

  if (options.dbpath) {
    const fileDurability = new FileDurability({ dbpath: options.dbpath });
    const records = await fileDurability.open();
    durability = fileDurability;
    for (const [index, record] of records.entries()) {
      try {
        engine.applyRecord(record);
      } catch (error) {
        // Skipping a record would silently lose an acknowledged write: refuse to start.
        await fileDurability.close();
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(
          `cannot recover ${options.dbpath}: journal record ${index} (${record.op}) does not apply: ${reason}`,
          { cause: error },
        );
      }
    }
    log('embedded store recovered', { dbpath: options.dbpath, records: records.length });
  }

  let sinceCompaction = 0;
  let compacting: Promise<void> | undefined;
  const compactAfter = (): number =>
    options.compactAfterRecords ?? Math.max(DEFAULT_COMPACT_AFTER, 2 * engine.documentCount());
  const onAppended = (records: JournalRecord[]): void => {
    sinceCompaction += records.length;
    if (!durability || compacting || sinceCompaction < compactAfter()) return;
    sinceCompaction = 0;
    const started = Date.now();
    compacting = durability
      .compact(() => engine.snapshotRecords())
      .then(
        () => log('journal compacted', { ms: Date.now() - started }),
        (error: unknown) =>
          log('journal compaction failed', {
            error: error instanceof Error ? error.message : String(error),
          }),
      )
      .finally(() => {
        compacting = undefined;
      });
  };

  const server = new StoreServer({ engine, cursors, durability, onLog: log, onAppended });
  let port: number;
  try {
    port = await server.listen(
      options.socketPath ? { path: options.socketPath } : { host, port: options.port ?? 0 },
    );
  } catch (error) {
    await durability?.close();
    throw error;
  }

  const sweep = async (now: Date = new Date()): Promise<number> => {
    const records: JournalRecord[] = [];
    const removed = sweepExpired(engine, now.getTime(), records);
    const mark = engine.changes.mark();
    if (records.length > 0 && durability) {
      await durability.append(records, { j: false });
      onAppended(records);
    }
    // Change streams see the expired documents' deletes once they are journaled.
    if (records.length > 0) engine.changes.commit(mark);
    return removed;
  };
  const ttlInterval = options.ttlIntervalMs ?? 1000;
  const ttlTimer =
    ttlInterval > 0
      ? setInterval(() => {
          sweep().catch((error: unknown) =>
            log('TTL sweep failed', {
              error: error instanceof Error ? error.message : String(error),
            }),
          );
        }, ttlInterval)
      : undefined;
  ttlTimer?.unref();

  const where = options.socketPath ? { socketPath: options.socketPath } : { host, port };
  log('embedded store listening', { ...where, dbpath: options.dbpath ?? null });
  let closing: Promise<void> | undefined;
  return {
    uri: options.socketPath
      ? `mongodb://${encodeURIComponent(options.socketPath)}`
      : `mongodb://${host}:${port}`,
    port,
    engine,
    sweepExpired: sweep,
    close: () => {
      closing ??= (async () => {
        if (ttlTimer) clearInterval(ttlTimer);
        await server.close();
        await compacting;
        await durability?.close();
      })();
      return closing;
    },
  };
}
