import type { Document } from 'bson';
import { MongoError, toMongoError } from '../errors';
import { adminCommands } from './admin';
import { aggregateCommands } from './aggregate';
import { collectionCommands } from './collections';
import type { CommandContext, CommandHandler } from './context';
import { findCommands } from './find';
import { findAndModifyCommands } from './find-and-modify';
import { indexCommands } from './indexes';
import { writeCommands } from './write';

const HANDLERS: Record<string, CommandHandler> = {
  ...adminCommands,
  ...collectionCommands,
  ...indexCommands,
  ...findCommands,
  ...writeCommands,
  ...findAndModifyCommands,
  ...aggregateCommands,
};

const TRANSACTION_COMMANDS = new Set(['committransaction', 'aborttransaction']);

/**
 * Real MongoDB commands this store does not implement: answered as not implemented rather
 * than "no such command", which would claim MongoDB lacks them.
 */
const NOT_IMPLEMENTED = new Set([
  'renamecollection',
  'collmod',
  'dbstats',
  'collstats',
  'datasize',
  'validate',
  'compact',
  'mapreduce',
  'currentop',
  'killop',
  'fsync',
  'fsyncunlock',
  'profile',
  'reindex',
  'createview',
  'saslstart',
  'saslcontinue',
  'authenticate',
  'logout',
  'createuser',
  'updateuser',
  'dropuser',
  'usersinfo',
  'createrole',
  'rolesinfo',
  'shutdown',
  'setparameter',
  'setfeaturecompatibilityversion',
  'bulkwrite',
  'clonecollectionascapped',
  'converttocapped',
  'createsearchindexes',
  'listsearchindexes',
  'top',
  'lockinfo',
]);

/** Runs one command and always returns a reply document (`ok: 1` or a MongoDB error). */
export function runCommand(cmd: Document, ctx: CommandContext): Document {
  const name = Object.keys(cmd)[0];
  if (name === undefined) return new MongoError('FailedToParse', 'empty command').toReply();
  const lower = name.toLowerCase();
  // A standalone mongod refuses every transaction statement this way; drivers rely on it.
  if (
    cmd.startTransaction === true ||
    cmd.autocommit === false ||
    TRANSACTION_COMMANDS.has(lower)
  ) {
    return new MongoError(
      'IllegalOperation',
      'Transaction numbers are only allowed on a replica set member or mongos',
    ).toReply();
  }
  const handler = HANDLERS[lower];
  if (!handler) {
    if (lower === 'replsetgetstatus') {
      return {
        ok: 0,
        errmsg: 'not running with --replSet',
        code: 76,
        codeName: 'NoReplicationEnabled',
      };
    }
    if (NOT_IMPLEMENTED.has(lower)) {
      return new MongoError(
        'NotImplemented',
        `${name} is not supported by the embedded store`,
      ).toReply();
    }
    return new MongoError('CommandNotFound', `no such command: '${name}'`).toReply();
  }
  try {
    return handler(cmd, ctx);
  } catch (error) {
    return toMongoError(error).toReply();
  }
}
