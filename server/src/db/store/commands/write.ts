/** insert, update, delete: per-statement results with MongoDB's ordered/unordered semantics. */
import type { Document } from 'bson';
import { prepareInsert } from '../engine/engine';
import { select } from '../engine/select';
import { applyUpdate, changeKind, validateUpdate } from '../engine/update';
import { buildUpsert } from '../engine/upsert';
import { isPlainObject } from '../engine/values';
import { MongoError, toMongoError } from '../errors';
import { checkHint } from './find';
import {
  checkCollation,
  type CommandContext,
  type CommandHandler,
  collectionName,
  documentArray,
} from './context';

/** Runs each statement; a failed one becomes a writeError and, if ordered, stops the batch. */
function runStatements(
  cmd: Document,
  statements: Document[],
  run: (statement: Document, index: number) => void,
): Document[] {
  const ordered = cmd.ordered !== false;
  const writeErrors: Document[] = [];
  for (let i = 0; i < statements.length; i++) {
    try {
      run(statements[i] as Document, i);
    } catch (error) {
      writeErrors.push(toMongoError(error).toWriteError(i));
      if (ordered) break;
    }
  }
  return writeErrors;
}

function withErrors(reply: Document, writeErrors: Document[]): Document {
  if (writeErrors.length > 0) reply.writeErrors = writeErrors;
  reply.ok = 1;
  return reply;
}

const insert: CommandHandler = (cmd, ctx) => {
  const name = collectionName(cmd, 'insert');
  const docs = documentArray(cmd, 'documents');
  const coll = ctx.engine.ensureCollection(ctx.db, name, ctx.records);
  let n = 0;
  const writeErrors = runStatements(cmd, docs, (doc) => {
    ctx.engine.insert(coll, prepareInsert(doc), ctx.records);
    n++;
  });
  return withErrors({ n }, writeErrors);
};

function statementFilter(statement: Document): Document {
  const q: unknown = statement.q;
  if (!isPlainObject(q))
    throw new MongoError('TypeMismatch', "BSON field 'q' is missing or is not an object");
  return q;
}

function checkStatement(ctx: CommandContext, name: string, statement: Document): void {
  checkCollation(statement);
  checkHint(ctx.engine.getCollection(ctx.db, name), statement.hint);
}

const update: CommandHandler = (cmd, ctx) => {
  const name = collectionName(cmd, 'update');
  const statements = documentArray(cmd, 'updates');
  let n = 0;
  let nModified = 0;
  const upserted: Document[] = [];
  const writeErrors = runStatements(cmd, statements, (statement, index) => {
    const q = statementFilter(statement);
    const u: unknown = statement.u;
    validateUpdate(u);
    checkStatement(ctx, name, statement);
    const arrayFilters = Array.isArray(statement.arrayFilters)
      ? (statement.arrayFilters as Document[])
      : undefined;
    const multi = statement.multi === true;
    if (
      multi &&
      !Array.isArray(u) &&
      !Object.keys(u)[0]?.startsWith('$') &&
      Object.keys(u).length > 0
    ) {
      throw new MongoError(
        'FailedToParse',
        'multi update is not supported for replacement-style update',
      );
    }
    const existing = ctx.engine.getCollection(ctx.db, name);
    const selection = select(existing, q, { limit: multi ? 0 : 1 });
    ctx.engine.lastQuery = selection.stats;
    if (selection.docs.length === 0) {
      if (statement.upsert !== true) return;
      const doc = buildUpsert(q, u, { query: q, arrayFilters });
      const coll = ctx.engine.ensureCollection(ctx.db, name, ctx.records);
      ctx.engine.insert(coll, prepareInsert(doc), ctx.records);
      n++;
      upserted.push({ index, _id: doc._id });
      return;
    }
    const coll = existing as NonNullable<typeof existing>;
    for (const doc of selection.docs) {
      const result = applyUpdate(doc, u, { query: q, arrayFilters, inserting: false });
      n++;
      if (!result.changed) continue;
      ctx.engine.replace(coll, doc, result.doc, ctx.records, changeKind(u));
      nModified++;
    }
  });
  const reply: Document = { n, nModified };
  if (upserted.length > 0) reply.upserted = upserted;
  return withErrors(reply, writeErrors);
};

const del: CommandHandler = (cmd, ctx) => {
  const name = collectionName(cmd, 'delete');
  const statements = documentArray(cmd, 'deletes');
  let n = 0;
  const writeErrors = runStatements(cmd, statements, (statement) => {
    const q = statementFilter(statement);
    const limit: unknown = statement.limit;
    if (limit !== 0 && limit !== 1) {
      throw new MongoError('FailedToParse', 'The limit field in delete objects must be 0 or 1');
    }
    checkStatement(ctx, name, statement);
    const coll = ctx.engine.getCollection(ctx.db, name);
    if (!coll) return;
    const selection = select(coll, q, { limit });
    ctx.engine.lastQuery = selection.stats;
    for (const doc of selection.docs) {
      ctx.engine.remove(coll, doc, ctx.records);
      n++;
    }
  });
  return withErrors({ n }, writeErrors);
};

export const writeCommands: Record<string, CommandHandler> = {
  insert,
  update,
  delete: del,
};
