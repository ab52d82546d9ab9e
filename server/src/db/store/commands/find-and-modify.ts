/** findAndModify: atomically select one document and update or remove it. */
import type { Document } from 'bson';
import { prepareInsert } from '../engine/engine';
import { compileFilter } from '../engine/query';
import { select } from '../engine/select';
import { applyUpdate, changeKind, validateUpdate } from '../engine/update';
import { buildUpsert } from '../engine/upsert';
import { MongoError } from '../errors';
import { checkHint } from './find';
import {
  checkCollation,
  type CommandHandler,
  collectionName,
  optionalDocument,
  optionalSort,
} from './context';

function project(doc: Document | null, fields: Document | undefined): Document | null {
  if (!doc || !fields || Object.keys(fields).length === 0) return doc;
  return compileFilter({}).project([doc], fields)[0] ?? null;
}

const findAndModify: CommandHandler = (cmd, ctx) => {
  const name = collectionName(cmd, Object.keys(cmd)[0] as string);
  checkCollation(cmd);
  const query = optionalDocument(cmd, 'query') ?? {};
  const fields = optionalDocument(cmd, 'fields');
  const remove = cmd.remove === true;
  const upsert = cmd.upsert === true;
  const returnNew = cmd.new === true;
  const u: unknown = cmd.update;
  if (remove && u !== undefined) {
    throw new MongoError('FailedToParse', 'Cannot specify both an update and remove=true');
  }
  if (remove && (upsert || returnNew)) {
    throw new MongoError(
      'FailedToParse',
      'Cannot specify both upsert=true and remove=true, or new=true and remove=true',
    );
  }
  if (!remove && u === undefined) {
    throw new MongoError('FailedToParse', 'Either an update or remove=true must be specified');
  }
  const existing = ctx.engine.getCollection(ctx.db, name);
  checkHint(existing, cmd.hint);
  const sort = optionalSort(cmd, 'sort');
  const arrayFilters = Array.isArray(cmd.arrayFilters)
    ? (cmd.arrayFilters as Document[])
    : undefined;
  if (!remove) validateUpdate(u);
  const selection = select(existing, query, { sort, limit: 1 });
  ctx.engine.lastQuery = selection.stats;
  const found = selection.docs[0];

  if (remove) {
    if (!found || !existing) return { lastErrorObject: { n: 0 }, value: null, ok: 1 };
    ctx.engine.remove(existing, found, ctx.records);
    return { lastErrorObject: { n: 1 }, value: project(found, fields), ok: 1 };
  }
  validateUpdate(u);
  if (found && existing) {
    const result = applyUpdate(found, u, { query, arrayFilters, inserting: false });
    if (result.changed) {
      ctx.engine.replace(existing, found, result.doc, ctx.records, changeKind(u));
    }
    return {
      lastErrorObject: { n: 1, updatedExisting: true },
      value: project(returnNew ? result.doc : found, fields),
      ok: 1,
    };
  }
  if (!upsert) return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
  const doc = prepareInsert(buildUpsert(query, u, { query, arrayFilters }));
  const coll = existing ?? ctx.engine.ensureCollection(ctx.db, name, ctx.records);
  ctx.engine.insert(coll, doc, ctx.records);
  return {
    lastErrorObject: { n: 1, updatedExisting: false, upserted: doc._id },
    value: returnNew ? project(doc, fields) : null,
    ok: 1,
  };
};

export const findAndModifyCommands: Record<string, CommandHandler> = {
  findandmodify: findAndModify,
};
