/** aggregate with a cursor; the leading $match uses indexes like find does. */
import type { Document } from 'bson';
import { Aggregator } from 'mingo/aggregator';
import { openChangeStream } from '../change-streams/stream';
import { hasPipelineStage, pipelineOptions, validateFilter } from '../engine/query';
import { select } from '../engine/select';
import { deepClone, isPlainObject } from '../engine/values';
import { MongoError, toMongoError } from '../errors';
import { checkCollation, type CommandHandler, documentArray } from './context';

/** Stages that never modify their input documents, so stored documents can flow through. */
const NON_MUTATING_STAGES = new Set([
  '$match',
  '$group',
  '$sort',
  '$skip',
  '$limit',
  '$count',
  '$sortByCount',
]);
/** Real MongoDB stages this store does not implement. */
const UNSUPPORTED_STAGES = new Set([
  '$out',
  '$merge',
  '$collStats',
  '$currentOp',
  '$geoNear',
  '$indexStats',
  '$listLocalSessions',
  '$listSessions',
  '$planCacheStats',
  '$search',
  '$searchMeta',
  '$vectorSearch',
  '$listSearchIndexes',
  '$shardedDataDistribution',
  '$changeStreamSplitLargeEvent',
]);

function stageName(stage: unknown): string {
  if (!isPlainObject(stage))
    throw new MongoError('TypeMismatch', "Each element of the 'pipeline' array must be an object");
  const keys = Object.keys(stage);
  if (keys.length !== 1) {
    throw new MongoError(
      'Location40324',
      'A pipeline stage specification object must contain exactly one field.',
    );
  }
  return keys[0] as string;
}

function validatePipeline(pipeline: Document[]): string[] {
  return pipeline.map((stage, index) => {
    const name = stageName(stage);
    if (name === '$changeStream') {
      if (index > 0) {
        throw new MongoError(
          'Location40602',
          '$changeStream is only valid as the first stage in a pipeline.',
        );
      }
      return name;
    }
    if (UNSUPPORTED_STAGES.has(name)) {
      throw new MongoError('NotImplemented', `${name} is not supported by the embedded store`);
    }
    if (!hasPipelineStage(name))
      throw new MongoError('Location40324', `Unrecognized pipeline stage name: '${name}'`);
    if (name === '$match') validateFilter(stage[name]);
    return name;
  });
}

/**
 * Stages whose sub-pipelines or outputs hand other collections' stored documents to later
 * stages, which may modify them in place. (`$lookup` without a sub-pipeline copies its
 * joined documents itself.)
 */
function readsOtherCollections(pipeline: Document[]): boolean {
  return pipeline.some((stage) => {
    const name = Object.keys(stage)[0];
    return (
      name === '$unionWith' ||
      name === '$graphLookup' ||
      name === '$facet' ||
      (name === '$lookup' && isPlainObject(stage.$lookup) && 'pipeline' in stage.$lookup)
    );
  });
}

const aggregate: CommandHandler = (cmd, ctx) => {
  const target: unknown = cmd.aggregate;
  if (cmd.explain === true)
    throw new MongoError(
      'NotImplemented',
      'explain of aggregate is not supported by the embedded store',
    );
  if (!isPlainObject(cmd.cursor)) {
    throw new MongoError(
      'FailedToParse',
      "The 'cursor' option is required, except for aggregate with the explain argument",
    );
  }
  checkCollation(cmd);
  const pipeline = documentArray(cmd, 'pipeline');
  const names = validatePipeline(pipeline);
  const batchSize = typeof cmd.cursor.batchSize === 'number' ? cmd.cursor.batchSize : undefined;
  if (names[0] === '$changeStream') return openChangeStream(target, pipeline, batchSize, ctx);
  let source: Document[] = [];
  let rest = pipeline;
  let ns = `${ctx.db}.$cmd.aggregate`;
  if (typeof target === 'string') {
    ns = `${ctx.db}.${target}`;
    const coll = ctx.engine.getCollection(ctx.db, target);
    if (names[0] === '$match') {
      const selection = select(coll, pipeline[0]?.$match as Document);
      ctx.engine.lastQuery = selection.stats;
      source = selection.docs;
      rest = pipeline.slice(1);
    } else {
      source = coll ? Array.from(coll.docs.values()) : [];
    }
  } else if (target !== 1) {
    throw new MongoError('TypeMismatch', "BSON field 'aggregate' must be a collection name or 1");
  }
  if (!rest.every((stage) => NON_MUTATING_STAGES.has(Object.keys(stage)[0] as string))) {
    source = source.map((doc) => deepClone(doc));
  }
  const cloneForeign = readsOtherCollections(rest);
  const options = pipelineOptions((name) => {
    const docs = Array.from(ctx.engine.getCollection(ctx.db, name)?.docs.values() ?? []);
    return cloneForeign ? docs.map((doc) => deepClone(doc)) : docs;
  });
  let results: Document[];
  try {
    results = rest.length === 0 ? source : new Aggregator(rest, options).run<Document>(source);
  } catch (error) {
    throw toMongoError(error);
  }
  return ctx.cursors.first(ns, results, { batchSize });
};

export const aggregateCommands: Record<string, CommandHandler> = { aggregate };
