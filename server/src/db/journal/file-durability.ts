import { closeSync, ftruncateSync, mkdirSync, openSync, renameSync, unlinkSync } from 'node:fs';
import { resolve } from 'node:path';
import { FILE_HEADER_BYTES, FrameBuilder, encodeFileHeader } from './format';
import {
  fdatasyncAsync,
  fsyncAsync,
  journalName,
  listDbpath,
  pathIn,
  snapshotName,
  syncDirectory,
  writeAll,
} from './files';
import { acquireLock, type DbpathLock } from './lock';
import { recover, type RecoveryReport } from './recovery';
import { writeSnapshot } from './snapshot';
import type { Durability, DurabilityOptions, JournalRecord } from './types';

export interface DurabilityStats {
  appends: number;
  /** fsync rounds of the journal (one round may cover many `j: true` callers). */
  fsyncs: number;
  bytesWritten: number;
  /** Size of the current journal: what a compaction would reclaim. */
  journalBytes: number;
  snapshotBytes: number;
  generation: number;
  compactions: number;
}

/** Frame buffer for appends; bigger units are cut into frames of this size. */
const APPEND_FRAME_BYTES = 1024 * 1024;

interface Waiter {
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * Journal-backed durability under a dbpath, with MongoDB's promise: each append is written
 * to the journal with a synchronous write before its promise settles (it survives the
 * process being killed), the journal is fsync'd in the background at least every
 * `syncIntervalMs`, and `j: true` appends settle only after an fsync that covers them.
 * Concurrent `j: true` appends share one fsync (group commit).
 */
export class FileDurability implements Durability {
  readonly dbpath: string;
  /** What the last `open()` found; for logs and tests. */
  recovery: RecoveryReport | null = null;

  private phase: 'new' | 'open' | 'closing' | 'closed' = 'new';
  private lock: DbpathLock | null = null;
  private fd = -1;
  private offset = 0;
  private generation = 0;
  /** Journals replaced by a compaction but not yet fsync'd; synced before the current one. */
  private retired: number[] = [];
  private dirty = false;
  private waiters: Waiter[] = [];
  private syncing: Promise<void> | null = null;
  private syncScheduled = false;
  private timer: NodeJS.Timeout | null = null;
  private compacting: Promise<void> | null = null;
  private failure: Error | null = null;
  private readonly builder = new FrameBuilder(APPEND_FRAME_BYTES);
  private readonly counters: DurabilityStats = {
    appends: 0,
    fsyncs: 0,
    bytesWritten: 0,
    journalBytes: 0,
    snapshotBytes: 0,
    generation: 0,
    compactions: 0,
  };

  constructor(readonly options: DurabilityOptions) {
    this.dbpath = resolve(options.dbpath);
  }

  async open(): Promise<JournalRecord[]> {
    if (this.phase !== 'new') throw new Error('FileDurability.open() may be called once');
    mkdirSync(this.dbpath, { recursive: true });
    const lock = acquireLock(this.dbpath);
    try {
      const recovered = recover(this.dbpath);
      this.recovery = recovered.report;
      this.generation = recovered.report.generation;
      this.offset = recovered.journalBytes;
      this.fd = openSync(pathIn(this.dbpath, journalName(this.generation)), 'r+');
      if (recovered.changedNames) await syncDirectory(this.dbpath);
      const { truncatedBytes, stoppedBy } = recovered.report;
      if (truncatedBytes > 0) {
        this.options.onLog?.('journal tail discarded on recovery', { truncatedBytes, stoppedBy });
      }
      this.lock = lock;
      this.phase = 'open';
      const interval = this.options.syncIntervalMs ?? 100;
      this.timer = setInterval(() => this.backgroundSync(), interval);
      this.timer.unref();
      return recovered.records;
    } catch (error) {
      if (this.fd >= 0) closeSync(this.fd);
      this.fd = -1;
      lock.release();
      throw error;
    }
  }

  append(records: JournalRecord[], options: { j: boolean }): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.phase !== 'open') return Promise.reject(new Error('the journal is not open'));
    if (records.length > 0) {
      try {
        this.write(records);
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    }
    if (!options.j) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.scheduleSync();
    });
  }

  compact(state: () => Iterable<JournalRecord>): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.phase !== 'open') return Promise.reject(new Error('the journal is not open'));
    // One at a time: a second caller shares the compaction already running.
    this.compacting ??= this.runCompaction(state).finally(() => {
      this.compacting = null;
    });
    return this.compacting;
  }

  async close(): Promise<void> {
    if (this.phase !== 'open') return;
    this.phase = 'closing';
    if (this.timer) clearInterval(this.timer);
    await this.compacting?.catch(() => undefined);
    await this.syncing?.catch(() => undefined);
    try {
      await this.sync();
    } finally {
      for (const fd of [...this.retired, this.fd]) closeSync(fd);
      this.retired = [];
      this.fd = -1;
      this.lock?.release();
      this.lock = null;
      this.phase = 'closed';
    }
  }

  stats(): DurabilityStats {
    return { ...this.counters, journalBytes: this.offset, generation: this.generation };
  }

  /**
   * Synchronous positional writes of one unit: once this returns, the bytes are the
   * kernel's. A large unit spans several frames, all but the last marked `more`.
   */
  private write(records: JournalRecord[]): void {
    const builder = this.builder;
    let written = 0;
    const flush = (more: boolean): void => {
      const frame = builder.finish(more);
      writeAll(this.fd, frame, this.offset + written);
      written += frame.length;
    };
    try {
      for (const record of records) {
        if (builder.tryAdd(record)) continue;
        flush(true);
        builder.tryAdd(record);
      }
      flush(false);
    } catch (error) {
      builder.reset();
      // Keep the journal a clean sequence of units for the next append.
      try {
        ftruncateSync(this.fd, this.offset);
      } catch (truncateError) {
        this.fail(truncateError);
      }
      throw error;
    }
    builder.trim(APPEND_FRAME_BYTES);
    this.offset += written;
    this.dirty = true;
    this.counters.appends += 1;
    this.counters.bytesWritten += written;
  }

  private backgroundSync(): void {
    if (this.phase !== 'open' || this.syncing || !this.dirty) return;
    this.sync().catch(() => undefined);
  }

  /** Lets every `j: true` append of this turn of the event loop join the same fsync. */
  private scheduleSync(): void {
    if (this.syncScheduled || this.syncing) return;
    this.syncScheduled = true;
    setImmediate(() => {
      this.syncScheduled = false;
      if (this.phase === 'closed') return;
      this.sync().catch(() => undefined);
    });
  }

  /**
   * One fsync round covering everything written before it starts. Callers that arrive
   * while a round is running wait for the next one, which starts as soon as this ends.
   */
  private sync(): Promise<void> {
    if (this.syncing) return this.syncing;
    const batch = this.waiters;
    this.waiters = [];
    this.dirty = false;
    const retired = this.retired;
    this.retired = [];
    const fd = this.fd;
    const round = async (): Promise<void> => {
      // An older journal must be on disk before anything written after it counts.
      for (const old of retired) {
        await fdatasyncAsync(old);
        closeSync(old);
      }
      await fdatasyncAsync(fd);
      this.counters.fsyncs += 1;
    };
    this.syncing = round().then(
      () => {
        this.syncing = null;
        for (const waiter of batch) waiter.resolve();
        if (this.waiters.length > 0) this.scheduleSync();
      },
      (error: unknown) => {
        this.syncing = null;
        this.fail(error);
        for (const waiter of [...batch, ...this.waiters.splice(0)]) waiter.reject(this.failure!);
        throw this.failure;
      },
    );
    return this.syncing;
  }

  /** A failed fsync may have dropped pages: nothing written from here on is trustworthy. */
  private fail(error: unknown): void {
    this.failure ??= error instanceof Error ? error : new Error(String(error));
    this.options.onLog?.('journal failed; further writes are refused', {
      error: this.failure.message,
    });
  }

  /**
   * Snapshot + fresh journal. The state is read and the journals are switched in one
   * synchronous turn, so the snapshot holds exactly what the old journals held; the
   * records are then written out in slices, letting requests run in between.
   */
  private async runCompaction(state: () => Iterable<JournalRecord>): Promise<void> {
    const next = this.generation + 1;
    const journalPath = pathIn(this.dbpath, journalName(next));
    const snapshotPath = pathIn(this.dbpath, snapshotName(next));
    const tmpPath = `${snapshotPath}.tmp`;

    // The new journal must exist durably before any acknowledged write lands in it.
    const journalFd = openSync(journalPath, 'wx');
    writeAll(journalFd, encodeFileHeader('journal', next), 0);
    await fdatasyncAsync(journalFd);
    await syncDirectory(this.dbpath);
    if (this.phase !== 'open') {
      closeSync(journalFd);
      unlinkSync(journalPath);
      return;
    }

    let records: JournalRecord[];
    try {
      records = Array.from(state());
    } catch (error) {
      closeSync(journalFd);
      unlinkSync(journalPath);
      throw error;
    }
    this.retired.push(this.fd);
    this.fd = journalFd;
    this.offset = FILE_HEADER_BYTES;
    this.generation = next;
    this.dirty = true;

    // Until the snapshot is renamed into place, recovery still reads the old snapshot and
    // every journal since, the new one included: a failure from here on loses nothing.
    const snapshotFd = openSync(tmpPath, 'w');
    let snapshotBytes: number;
    try {
      snapshotBytes = await writeSnapshot(snapshotFd, next, records);
      await fsyncAsync(snapshotFd);
    } finally {
      closeSync(snapshotFd);
    }
    renameSync(tmpPath, snapshotPath);
    await syncDirectory(this.dbpath);

    // From here recovery starts at the new snapshot; older files are dead weight.
    const listing = listDbpath(this.dbpath);
    for (const g of listing.journals.filter((g) => g < next)) {
      unlinkSync(pathIn(this.dbpath, journalName(g)));
    }
    for (const g of listing.snapshots.filter((g) => g < next)) {
      unlinkSync(pathIn(this.dbpath, snapshotName(g)));
    }
    await syncDirectory(this.dbpath);
    this.counters.compactions += 1;
    this.counters.snapshotBytes = snapshotBytes;
  }
}
