/**
 * `mongod.lock`-style ownership of a dbpath: the file holds the owner's pid and is created
 * exclusively, so a second process gets a clear error instead of two writers interleaving
 * one journal. A lock left by a process that no longer exists (killed, crashed) is stale
 * and taken over.
 */
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const LOCK_FILE = 'mongod.lock';

/** A lock file younger than this with no pid in it may be a writer between open and write. */
const EMPTY_LOCK_GRACE_MS = 2_000;

/** Lock files this thread took (and so may release). */
const heldHere = new Set<string>();

/**
 * A lock carrying our own pid was taken by this process (another thread of it may run a
 * store too) if it was written after this process started; if before, it was left by an
 * earlier process that happened to get the same pid (common in containers). Uptime is the
 * process's, whichever thread asks.
 */
function writtenBeforeThisProcess(mtimeMs: number): boolean {
  return mtimeMs < Date.now() - process.uptime() * 1000;
}

/** Thrown when another live process (or this one) already holds the dbpath. */
export class DbpathLockedError extends Error {
  readonly code = 'dbpath_locked';

  constructor(
    readonly dbpath: string,
    readonly pid: number | null,
  ) {
    super(
      `the dbpath ${dbpath} is in use by ${pid === null ? 'another process' : `process ${pid}`}` +
        ` (lock file ${join(dbpath, LOCK_FILE)}); stop that store first, or remove the lock` +
        ' file if no store is running',
    );
    this.name = 'DbpathLockedError';
  }
}

export interface DbpathLock {
  release(): void;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(path: string): { pid: number | null; ageMs: number; mtimeMs: number } | null {
  try {
    const text = readFileSync(path, 'utf8').trim();
    const { mtimeMs } = statSync(path);
    const pid = /^\d+$/.test(text) ? Number(text) : null;
    return { pid, ageMs: Date.now() - mtimeMs, mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function tryCreate(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, `${process.pid}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** Takes the dbpath's lock or throws DbpathLockedError. */
export function acquireLock(dbpath: string): DbpathLock {
  const path = join(dbpath, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    if (tryCreate(path)) {
      heldHere.add(path);
      return { release: () => releaseLock(path) };
    }
    const owner = readOwner(path);
    if (owner === null) continue; // released between our attempt and the read
    const stale =
      owner.pid === null
        ? owner.ageMs > EMPTY_LOCK_GRACE_MS
        : owner.pid === process.pid
          ? writtenBeforeThisProcess(owner.mtimeMs)
          : !isAlive(owner.pid);
    if (!stale) throw new DbpathLockedError(dbpath, owner.pid);
    try {
      unlinkSync(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  throw new DbpathLockedError(dbpath, readOwner(path)?.pid ?? null);
}

/** Removes the lock only while it is still ours. */
function releaseLock(path: string): void {
  if (!heldHere.delete(path)) return;
  const owner = readOwner(path);
  if (owner?.pid !== process.pid) return;
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
