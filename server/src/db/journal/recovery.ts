/** Rebuilds the record stream of a dbpath: newest complete snapshot + the journals after it. */
import { closeSync, ftruncateSync, openSync, unlinkSync } from 'node:fs';
import { FILE_HEADER_BYTES, encodeFileHeader } from './format';
import { journalName, listDbpath, pathIn, snapshotName, writeAll } from './files';
import { scanFile } from './reader';
import type { JournalRecord } from './types';

export interface RecoveryReport {
  /** Generation of the snapshot recovery started from; null when there was none. */
  snapshotGeneration: number | null;
  snapshotRecords: number;
  journalRecords: number;
  /** Journal the store appends to from now on. */
  generation: number;
  /** Bytes cut off the end of the last journal (a torn or corrupt tail). */
  truncatedBytes: number;
  stoppedBy: 'torn' | 'checksum' | 'decode' | null;
}

export interface Recovery {
  records: JournalRecord[];
  report: RecoveryReport;
  /** Length of the current journal after recovery: where the next append goes. */
  journalBytes: number;
  /** Whether files were created or removed (the directory then needs an fsync). */
  changedNames: boolean;
}

/** Thrown when damage is found anywhere but the tail of the last journal. */
export class JournalCorruptError extends Error {
  readonly code = 'journal_corrupt';

  constructor(file: string, detail: string) {
    super(`${file} is damaged (${detail}); the store refuses to start rather than lose data`);
    this.name = 'JournalCorruptError';
  }
}

/** Reads a dbpath back, truncating a torn tail and removing files a compaction superseded. */
export function recover(dbpath: string): Recovery {
  const listing = listDbpath(dbpath);
  const records: JournalRecord[] = [];
  let changedNames = listing.temporary.length > 0;
  for (const name of listing.temporary) unlinkSync(pathIn(dbpath, name));

  const snapshotGeneration = listing.snapshots.at(-1) ?? null;
  let snapshotRecords = 0;
  if (snapshotGeneration !== null) {
    const name = snapshotName(snapshotGeneration);
    const scan = scanFile(pathIn(dbpath, name), 'snapshot');
    if (scan.generation !== snapshotGeneration || scan.end !== scan.records.length) {
      throw new JournalCorruptError(name, 'incomplete snapshot');
    }
    for (const record of scan.records) records.push(record);
    snapshotRecords = scan.records.length;
  }

  const base = snapshotGeneration ?? 0;
  const journals = listing.journals.filter((g) => g >= base);
  const report: RecoveryReport = {
    snapshotGeneration,
    snapshotRecords,
    journalRecords: 0,
    generation: Math.max(base, journals.at(-1) ?? 1),
    truncatedBytes: 0,
    stoppedBy: null,
  };

  let journalBytes = FILE_HEADER_BYTES;
  for (const [i, generation] of journals.entries()) {
    const name = journalName(generation);
    const scan = scanFile(pathIn(dbpath, name), 'journal');
    const last = i === journals.length - 1;
    const headerOk = scan.generation === generation;
    if (!last && (!headerOk || scan.stoppedBy !== null)) {
      throw new JournalCorruptError(name, `unreadable before offset ${scan.validBytes}`);
    }
    for (const record of scan.records) records.push(record);
    report.journalRecords += scan.records.length;
    if (!last) continue;
    // The last journal: cut a torn or corrupt tail so new appends follow valid data.
    const keep = headerOk ? scan.validBytes : 0;
    report.truncatedBytes = scan.size - keep;
    report.stoppedBy = headerOk ? scan.stoppedBy : scan.size === 0 ? null : 'torn';
    if (!headerOk || keep < scan.size) truncateJournal(pathIn(dbpath, name), keep, generation);
    journalBytes = Math.max(keep, FILE_HEADER_BYTES);
  }

  if (journals.length === 0) {
    writeNewJournal(pathIn(dbpath, journalName(report.generation)), report.generation);
    changedNames = true;
  }
  for (const generation of listing.journals.filter((g) => g < base)) {
    unlinkSync(pathIn(dbpath, journalName(generation)));
    changedNames = true;
  }
  for (const generation of listing.snapshots.filter((g) => g !== snapshotGeneration)) {
    unlinkSync(pathIn(dbpath, snapshotName(generation)));
    changedNames = true;
  }
  return { records, report, journalBytes, changedNames };
}

function truncateJournal(path: string, keep: number, generation: number): void {
  const fd = openSync(path, 'r+');
  try {
    ftruncateSync(fd, keep);
    if (keep === 0) writeAll(fd, encodeFileHeader('journal', generation), 0);
  } finally {
    closeSync(fd);
  }
}

function writeNewJournal(path: string, generation: number): void {
  const fd = openSync(path, 'wx');
  try {
    writeAll(fd, encodeFileHeader('journal', generation), 0);
  } finally {
    closeSync(fd);
  }
}
