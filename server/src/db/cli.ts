/**
 * Runs the embedded store on its own, like `mongod`:
 *   npm run db -- --port 27018 --dbpath ./data/db
 * Prints exactly one line on stdout, `listening on mongodb://<host>:<port>`, once clients
 * can connect; everything else goes to stderr. SIGINT/SIGTERM close the store (flushing
 * the journal) and exit 0. Exit codes follow mongod: 48 when the port is taken, 100 when
 * the dbpath is locked by another process, 2 for bad arguments.
 */
import { parseArgs } from 'node:util';
import { startEmbeddedStore, type EmbeddedStore } from './embedded';

const USAGE = `usage: npm run db -- [--port 27017] [--dbpath <dir> | --inMemory] [--host 127.0.0.1]
  --port      TCP port; 0 picks a free one (default 27017)
  --dbpath    directory for the journal and snapshots (default: in memory)
  --inMemory  keep everything in memory, even if --dbpath is given
  --host      address to bind (default 127.0.0.1)
  --compactAfterRecords  rewrite the journal as a snapshot after this many records`;

const EXIT_BAD_ARGS = 2;
const EXIT_PORT_IN_USE = 48;
const EXIT_DBPATH_LOCKED = 100;

interface CliOptions {
  port: number;
  host: string;
  dbpath: string | null;
  compactAfterRecords?: number;
}

function fail(message: string, code: number): never {
  console.error(`error: ${message}`);
  process.exit(code);
}

function parseOptions(argv: string[]): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        port: { type: 'string', default: '27017' },
        dbpath: { type: 'string' },
        inMemory: { type: 'boolean', default: false },
        host: { type: 'string', default: '127.0.0.1' },
        compactAfterRecords: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    fail(`${(error as Error).message}\n${USAGE}`, EXIT_BAD_ARGS);
  }
  const { values } = parsed;
  if (values.help) {
    console.error(USAGE);
    process.exit(0);
  }
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port) || port > 65535) {
    fail(`--port must be an integer from 0 to 65535, got "${values.port}"`, EXIT_BAD_ARGS);
  }
  if (values.dbpath === '') fail('--dbpath must not be empty', EXIT_BAD_ARGS);
  const compact = values.compactAfterRecords;
  if (compact !== undefined && !/^[1-9]\d*$/.test(compact)) {
    fail(`--compactAfterRecords must be a positive integer, got "${compact}"`, EXIT_BAD_ARGS);
  }
  return {
    port,
    host: values.host,
    dbpath: values.inMemory ? null : (values.dbpath ?? null),
    ...(compact === undefined ? {} : { compactAfterRecords: Number(compact) }),
  };
}

/** The error code of an error or of anything in its `cause` chain. */
function errorCode(error: unknown): string | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; depth++) {
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === 'string') return code;
    e = e.cause;
  }
  return undefined;
}

function log(msg: string, meta?: Record<string, unknown>): void {
  const line = meta && Object.keys(meta).length > 0 ? `${msg} ${JSON.stringify(meta)}` : msg;
  console.error(`${new Date().toISOString()} ${line}`);
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  let store: EmbeddedStore;
  try {
    store = await startEmbeddedStore({ ...options, onLog: log });
  } catch (error) {
    const code = errorCode(error);
    if (code === 'EADDRINUSE') {
      fail(
        `port ${options.port} on ${options.host} is already in use; choose another with --port (0 picks a free one)`,
        EXIT_PORT_IN_USE,
      );
    }
    if (code === 'dbpath_locked') fail((error as Error).message, EXIT_DBPATH_LOCKED);
    throw error;
  }

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      log(`${signal} again: exiting without waiting`);
      process.exit(1);
    }
    stopping = true;
    log(`${signal} received: closing the store`);
    store.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log('closing failed', { error: (error as Error).message });
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  log(options.dbpath === null ? 'in-memory store (nothing is persisted)' : 'persistent store', {
    dbpath: options.dbpath,
  });
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  console.log(`listening on mongodb://${host}:${store.port}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
