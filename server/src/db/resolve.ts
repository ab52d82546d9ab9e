/**
 * Start-up resolution of the database (see "Database" in the architecture notes):
 * 1. a MongoDB URI → use it;
 * 2. else a `mongod` binary (configured, or on the PATH) → start real MongoDB on a
 *    persistent dbPath under the data directory;
 * 3. else the embedded MongoDB-compatible store, persisting under the data directory.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startStoreThread } from './store-thread';

export type DatabaseKind = 'mongodb' | 'embedded';

export interface ResolveDatabaseOptions {
  /** `MONGODB_URI`, already validated by the config module. */
  mongodbUri?: string;
  /** `MONGOD_BINARY`: an explicit mongod to start. */
  mongodBinary?: string;
  /** Parent of `mongod/` (real MongoDB's files) and `db/` (the embedded store's). */
  dataDir: string;
  log: (msg: string, meta?: Record<string, unknown>) => void;
}

export interface ResolvedDatabase {
  uri: string;
  kind: DatabaseKind;
  /** Stops the database this process started; a no-op for an external one. */
  close(): Promise<void>;
}

/** Thrown when the configured mongod cannot be used; falling back would hide the mistake. */
export class MongodBinaryError extends Error {
  readonly code = 'mongod_binary_unusable';
  override name = 'MongodBinaryError';
}

export async function resolveDatabase(options: ResolveDatabaseOptions): Promise<ResolvedDatabase> {
  const { log } = options;
  if (options.mongodbUri) {
    log('database: using MongoDB at MONGODB_URI', { uri: redactUri(options.mongodbUri) });
    return { uri: options.mongodbUri, kind: 'mongodb', close: () => Promise.resolve() };
  }

  const mongod = options.mongodBinary
    ? inspectMongod(resolve(options.mongodBinary), 'MONGOD_BINARY')
    : findMongodOnPath();
  if (mongod) {
    const dbPath = resolve(options.dataDir, 'mongod');
    log('database: starting a local mongod (no MONGODB_URI set)', { ...mongod, dbPath });
    return startMongod(mongod, dbPath);
  }

  const dbpath = resolve(options.dataDir, 'db');
  log('database: no MONGODB_URI and no mongod binary found; starting the embedded store', {
    dbpath,
  });
  const socketDir = privateSocketDir();
  const removeSocketDir = () => {
    if (socketDir) rmSync(socketDir, { recursive: true, force: true });
  };
  const store = await startStoreThread(
    socketDir ? { socketPath: join(socketDir, 'store.sock'), dbpath } : { port: 0, dbpath },
    log,
    (reason) => {
      // Like a database process dying under the application: stop, loudly, rather than
      // answer every request with a database error. Acknowledged writes are in the journal.
      log('database: the embedded store stopped unexpectedly; exiting', { reason });
      process.exit(70);
    },
  ).catch((error: unknown) => {
    removeSocketDir();
    throw error;
  });
  log('database: embedded store listening', { uri: store.uri });
  return {
    uri: store.uri,
    kind: 'embedded',
    close: () => store.close().then(removeSocketDir),
  };
}

/**
 * Where the store thread's Unix socket goes: a new directory only this user can open (so
 * no other local account reaches the database, as one could over loopback TCP), with a
 * path short enough for a socket. Null on Windows, where the store listens on loopback.
 */
function privateSocketDir(): string | null {
  if (process.platform === 'win32') return null;
  // mkdtemp creates the directory with mode 0700.
  const dir = mkdtempSync(join(tmpdir(), 'coopetition-'));
  // Socket paths are limited to about 100 bytes.
  if (join(dir, 'store.sock').length > 100) {
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
  return dir;
}

interface Mongod {
  binary: string;
  version: string;
  source: 'MONGOD_BINARY' | 'PATH';
}

/** `mongod --version` both proves the file runs and tells mongodb-memory-server its version. */
function inspectMongod(binary: string, source: Mongod['source']): Mongod {
  try {
    accessSync(binary, constants.X_OK);
  } catch {
    throw new MongodBinaryError(`${source} points at ${binary}, which is not an executable file`);
  }
  const run = spawnSync(binary, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  const version = /db version v?(\d+\.\d+\.\d+)/.exec(run.stdout ?? '')?.[1];
  if (run.status !== 0 || !version) {
    throw new MongodBinaryError(
      `${source} points at ${binary}, but \`${binary} --version\` did not report a mongod version`,
    );
  }
  return { binary, version, source };
}

/** The PATH lookup is left to the shell so this module never reads the environment. */
function findMongodOnPath(): Mongod | null {
  const lookup =
    process.platform === 'win32'
      ? spawnSync('where', ['mongod'], { encoding: 'utf8', timeout: 10_000 })
      : spawnSync('/bin/sh', ['-c', 'command -v mongod'], { encoding: 'utf8', timeout: 10_000 });
  const binary = lookup.status === 0 ? lookup.stdout.split(/\r?\n/)[0]?.trim() : undefined;
  if (!binary) return null;
  try {
    return inspectMongod(binary, 'PATH');
  } catch {
    return null;
  }
}

async function startMongod(mongod: Mongod, dbPath: string): Promise<ResolvedDatabase> {
  mkdirSync(dbPath, { recursive: true });
  // Loaded only on this path: it is a sizeable module and most machines have no mongod.
  const { MongoMemoryServer } = await import('mongodb-memory-server-core');
  const server = await MongoMemoryServer.create({
    binary: { systemBinary: mongod.binary, version: mongod.version },
    instance: { dbPath, storageEngine: 'wiredTiger', ip: '127.0.0.1' },
  });
  return {
    uri: server.getUri(),
    kind: 'mongodb',
    // The dbPath is the user's data: stop mongod, never delete its files.
    close: async () => {
      await server.stop({ doCleanup: false });
    },
  };
}

/** Drops credentials so the URI can be logged. */
function redactUri(uri: string): string {
  return uri.replace(/^(mongodb(?:\+srv)?:\/\/)[^@/]*@/, '$1***@');
}
