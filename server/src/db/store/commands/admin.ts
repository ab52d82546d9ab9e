/** Handshake, server information and session commands. */
import type { Document } from 'bson';
import { MongoError } from '../errors';
import { MAX_BSON_OBJECT_SIZE, MAX_MESSAGE_BYTES, MAX_WRITE_BATCH_SIZE } from '../limits';
import type { CommandHandler } from './context';

const VERSION = '7.0.0';
const STARTED = Date.now();

const HELLO_LIMITS = {
  maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
  maxMessageSizeBytes: MAX_MESSAGE_BYTES,
  maxWriteBatchSize: MAX_WRITE_BATCH_SIZE,
};

/**
 * The handshake reply. No `topologyVersion`: with it the driver switches to streaming hello,
 * which this server does not implement. No `compression`: none is supported.
 */
export function helloReply(connectionId: number, legacy: boolean): Document {
  const reply: Document = {
    helloOk: true,
    isWritablePrimary: true,
    ...HELLO_LIMITS,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId,
    minWireVersion: 0,
    maxWireVersion: 21,
    readOnly: false,
    ok: 1,
  };
  if (legacy) reply.ismaster = true;
  return reply;
}

const hello: CommandHandler = (_cmd, ctx) => helloReply(ctx.connectionId, false);
const isMaster: CommandHandler = (_cmd, ctx) => helloReply(ctx.connectionId, true);

const buildInfo: CommandHandler = () => ({
  version: VERSION,
  gitVersion: 'embedded',
  versionArray: [7, 0, 0, 0],
  bits: 64,
  debug: false,
  maxBsonObjectSize: HELLO_LIMITS.maxBsonObjectSize,
  storageEngines: ['embedded'],
  modules: [],
  javascriptEngine: 'none',
  ok: 1,
});

const PARAMETERS: Document = {
  featureCompatibilityVersion: { version: '7.0' },
  authenticationMechanisms: [],
  maxBSONDepth: 100,
};

const getParameter: CommandHandler = (cmd) => {
  const out: Document = {};
  const all =
    cmd.getParameter === '*' || (typeof cmd.getParameter === 'object' && cmd.getParameter !== null);
  for (const [name, value] of Object.entries(PARAMETERS)) {
    if (all || name in cmd) out[name] = value;
  }
  if (Object.keys(out).length === 0)
    throw new MongoError('InvalidOptions', 'no option found to get');
  return { ...out, ok: 1 };
};

const serverStatus: CommandHandler = (_cmd, ctx) => ({
  host: 'localhost',
  version: VERSION,
  process: 'embedded',
  pid: process.pid,
  uptime: Math.floor((Date.now() - STARTED) / 1000),
  uptimeMillis: Date.now() - STARTED,
  localTime: new Date(),
  connections: { current: ctx.connectionId },
  mem: { resident: Math.round(process.memoryUsage().rss / 1048576), bits: 64 },
  ok: 1,
});

const ok: CommandHandler = () => ({ ok: 1 });

const listDatabases: CommandHandler = (cmd, ctx) => {
  const databases = ctx.engine
    .databaseNames()
    .map((name) => ({ name, sizeOnDisk: 0, empty: false }));
  if (cmd.nameOnly === true) return { databases: databases.map(({ name }) => ({ name })), ok: 1 };
  return { databases, totalSize: 0, totalSizeMb: 0, ok: 1 };
};

const connectionStatus: CommandHandler = () => ({
  authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] },
  ok: 1,
});

const hostInfo: CommandHandler = () => ({
  system: { currentTime: new Date(), hostname: 'localhost', numCores: 1 },
  os: { type: process.platform },
  ok: 1,
});

const whatsmyuri: CommandHandler = () => ({ you: '127.0.0.1', ok: 1 });

export const adminCommands: Record<string, CommandHandler> = {
  hello,
  ismaster: isMaster,
  ping: ok,
  buildinfo: buildInfo,
  getparameter: getParameter,
  serverstatus: serverStatus,
  getcmdlineopts: () => ({ argv: [], parsed: {}, ok: 1 }),
  endsessions: ok,
  killsessions: ok,
  killallsessions: ok,
  killallsessionsbypattern: ok,
  refreshsessions: ok,
  startsession: () => {
    throw new MongoError('NotImplemented', 'startSession is not supported by the embedded store');
  },
  listdatabases: listDatabases,
  connectionstatus: connectionStatus,
  hostinfo: hostInfo,
  whatsmyuri,
  getlog: () => ({ totalLinesWritten: 0, log: [], ok: 1 }),
};
