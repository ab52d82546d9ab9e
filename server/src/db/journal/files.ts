/** File names and low-level file operations of a dbpath. */
import { fdatasync, fsync, readdirSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * Generation N pairs `snapshot.N` (the state before any of `journal.N`) with `journal.N`
 * (the changes after it). Recovery takes the newest complete snapshot S and replays every
 * journal from S on, so a crash in the middle of a compaction loses nothing.
 */
const NAME = /^(journal|snapshot)\.(\d{8})(\.tmp)?$/;

export function journalName(generation: number): string {
  return `journal.${String(generation).padStart(8, '0')}`;
}

export function snapshotName(generation: number): string {
  return `snapshot.${String(generation).padStart(8, '0')}`;
}

export interface DbpathListing {
  journals: number[];
  snapshots: number[];
  /** Snapshots whose writing never finished; always safe to delete. */
  temporary: string[];
}

export function listDbpath(dbpath: string): DbpathListing {
  const listing: DbpathListing = { journals: [], snapshots: [], temporary: [] };
  for (const name of readdirSync(dbpath)) {
    const match = NAME.exec(name);
    if (!match) continue;
    if (match[3]) listing.temporary.push(name);
    else if (match[1] === 'journal') listing.journals.push(Number(match[2]));
    else listing.snapshots.push(Number(match[2]));
  }
  listing.journals.sort((a, b) => a - b);
  listing.snapshots.sort((a, b) => a - b);
  return listing;
}

/** pwrite until everything is written; a short write is not an error for the OS. */
export function writeAll(fd: number, buffer: Buffer, position: number): void {
  let done = 0;
  while (done < buffer.length) {
    done += writeSync(fd, buffer, done, buffer.length - done, position + done);
  }
}

export const fdatasyncAsync = promisify(fdatasync);
export const fsyncAsync = promisify(fsync);

/** Makes created, renamed and removed names durable (POSIX needs the directory synced). */
export async function syncDirectory(path: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export function pathIn(dbpath: string, name: string): string {
  return join(dbpath, name);
}
