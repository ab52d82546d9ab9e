/** create, drop, dropDatabase, listCollections. */
import type { Document } from 'bson';
import { compileFilter } from '../engine/query';
import { isPlainObject } from '../engine/values';
import { MongoError } from '../errors';
import { type CommandHandler, collectionName } from './context';

/** Fields every command may carry that are not collection options. */
const GENERIC_FIELDS = new Set([
  'create',
  '$db',
  'lsid',
  'writeConcern',
  'comment',
  '$readPreference',
  'apiVersion',
  'apiStrict',
  'apiDeprecationErrors',
  'txnNumber',
  '$clusterTime',
  'maxTimeMS',
]);
/** Options whose behaviour the store does not implement; accepting them would be a silent lie. */
const UNSUPPORTED_OPTIONS = new Set([
  'capped',
  'validator',
  'viewOn',
  'pipeline',
  'timeseries',
  'clusteredIndex',
  'collation',
  'changeStreamPreAndPostImages',
  'encryptedFields',
  'expireAfterSeconds',
]);

const create: CommandHandler = (cmd, ctx) => {
  const name = collectionName(cmd, 'create');
  const options: Document = {};
  for (const [key, value] of Object.entries(cmd)) {
    if (GENERIC_FIELDS.has(key)) continue;
    if (UNSUPPORTED_OPTIONS.has(key) && value !== false && value !== undefined) {
      throw new MongoError(
        'NotImplemented',
        `create option '${key}' is not supported by the embedded store`,
      );
    }
    options[key] = value;
  }
  ctx.engine.createCollection(ctx.db, name, options, ctx.records);
  return { ok: 1 };
};

const drop: CommandHandler = (cmd, ctx) => {
  const name = collectionName(cmd, 'drop');
  const coll = ctx.engine.getCollection(ctx.db, name);
  if (!coll) throw new MongoError('NamespaceNotFound', 'ns not found');
  const nIndexesWas = coll.indexes.size;
  ctx.engine.dropCollection(ctx.db, name, ctx.records);
  ctx.cursors.killNamespace(coll.ns);
  return { nIndexesWas, ns: coll.ns, ok: 1 };
};

const dropDatabase: CommandHandler = (_cmd, ctx) => {
  ctx.engine.dropDatabase(ctx.db, ctx.records);
  ctx.cursors.killNamespace(ctx.db);
  return { dropped: ctx.db, ok: 1 };
};

const listCollections: CommandHandler = (cmd, ctx) => {
  const filter = isPlainObject(cmd.filter) ? compileFilter(cmd.filter) : undefined;
  const nameOnly = cmd.nameOnly === true;
  const infos: Document[] = [];
  for (const coll of ctx.engine.collections(ctx.db)) {
    if (coll.name.startsWith('system.')) continue;
    const full: Document = {
      name: coll.name,
      type: 'collection',
      options: coll.options,
      info: { readOnly: false, uuid: coll.uuid },
      idIndex: { v: 2, key: { _id: 1 }, name: '_id_' },
    };
    if (filter && !filter.test(full)) continue;
    infos.push(nameOnly ? { name: coll.name, type: 'collection' } : full);
  }
  const batchSize =
    isPlainObject(cmd.cursor) && typeof cmd.cursor.batchSize === 'number'
      ? cmd.cursor.batchSize
      : undefined;
  return ctx.cursors.first(`${ctx.db}.$cmd.listCollections`, infos, { batchSize });
};

export const collectionCommands: Record<string, CommandHandler> = {
  create,
  drop,
  dropdatabase: dropDatabase,
  listcollections: listCollections,
};
