/**
 * The query engine's configuration and the MongoDB rules it does not enforce by itself:
 * refused operators, MongoDB's sort order, and find-style projection.
 */
import type { Document } from 'bson';
import { Context, ProcessingMode } from 'mingo';
import { Lazy, type Iterator } from 'mingo/lazy';
import * as accumulatorOperators from 'mingo/operators/accumulator';
import * as expressionOperators from 'mingo/operators/expression';
import * as pipelineOperators from 'mingo/operators/pipeline';
import * as projectionOperators from 'mingo/operators/projection';
import * as queryOperators from 'mingo/operators/query';
import * as windowOperators from 'mingo/operators/window';
import { Query } from 'mingo/query';
import type { CollectionResolver, Options } from 'mingo/types';
import { MongoError } from '../errors';
import { sortValue, TOP_LEVEL_FIELD } from './paths';
import { $type } from './type-operator';
import { compareValues, deepClone, isPlainObject } from './values';

export type SortSpec = Array<[path: string, direction: 1 | -1]>;

function unsupportedStage(name: string) {
  return (): Iterator => {
    throw new MongoError('NotImplemented', `${name} is not supported by the embedded store`);
  };
}

/** `$sort` with MongoDB's cross-type order (null and missing first, ObjectId before Date). */
function mongoSort(coll: Iterator, spec: unknown, _options: Options): Iterator {
  void _options;
  const sort = parseSort(spec);
  return coll.transform((items: Document[]) => Lazy(sortDocuments(items, sort)));
}

let captured: Options | undefined;

/** Query operator used once at start-up to obtain the engine's prepared options object. */
function captureOptions(_selector: string, _value: unknown, options: Options): () => boolean {
  captured = options;
  return () => true;
}

/**
 * `$lookup` whose joined documents are copies: they come straight from another collection,
 * and later stages (`$unwind` then `$set: {'user.x': 1}`) would otherwise modify them in place.
 */
function lookupCopies(
  coll: Iterator,
  expr: Parameters<typeof pipelineOperators.$lookup>[1],
  options: Options,
): Iterator {
  const { as } = expr;
  return pipelineOperators
    .$lookup(coll, expr, options)
    .map((doc: Document) => ({ ...doc, [as]: deepClone(doc[as]) }));
}

const CONTEXT = Context.init({
  accumulator: accumulatorOperators,
  expression: expressionOperators,
  pipeline: {
    ...pipelineOperators,
    $sort: mongoSort,
    $lookup: lookupCopies,
    $out: unsupportedStage('$out'),
    $merge: unsupportedStage('$merge'),
  },
  projection: projectionOperators,
  query: { ...queryOperators, $type, $__captureOptions: captureOptions },
  window: windowOperators,
});

export const QUERY_OPTIONS: Options = {
  idKey: '_id',
  processingMode: ProcessingMode.CLONE_OFF,
  useStrictMode: true,
  // $where and $function would run code sent over the wire.
  scriptEnabled: false,
  failOnError: true,
  context: CONTEXT,
};

/**
 * Options as the query engine prepares them internally. Passing the plain options object
 * makes every compiled filter copy the whole operator table (most of a point query's CPU
 * time); the prepared object is reused instead.
 */
const PREPARED_OPTIONS: Options = (() => {
  new Query({ _: { $__captureOptions: 1 } }, QUERY_OPTIONS);
  return captured ?? QUERY_OPTIONS;
})();

/**
 * For update operators: they only need query operators (array filters, `$pull` conditions),
 * and the updater copies its context on every call, so the context is kept small.
 */
export const UPDATE_OPTIONS: Options = {
  ...QUERY_OPTIONS,
  context: Context.init({ query: queryOperators }),
};

/** Compiled once: applies projections that do not depend on the filter. */
const MATCH_ALL = new Query({}, PREPARED_OPTIONS);

export function pipelineOptions(collectionResolver: CollectionResolver): Options {
  return { ...QUERY_OPTIONS, collectionResolver };
}

export function hasPipelineStage(name: string): boolean {
  return CONTEXT.getOperator('pipeline' as Parameters<Context['getOperator']>[0], name) !== null;
}

const GEO_OPERATORS = new Set(['$near', '$nearSphere', '$geoWithin', '$geoIntersects', '$within']);

/**
 * Refuses, with MongoDB's codes, filters the engine would otherwise answer wrongly: `$text`
 * (no text indexes), geo operators, and numbers the engine cannot compare exactly.
 */
export function validateFilter(filter: unknown): void {
  if (Array.isArray(filter)) {
    for (const item of filter) validateFilter(item);
    return;
  }
  if (typeof filter !== 'object' || filter === null) return;
  const tag = (filter as { _bsontype?: string })._bsontype;
  if (tag === 'Decimal128') {
    throw new MongoError(
      'BadValue',
      'Decimal128 values in queries are not supported by the embedded store',
    );
  }
  if (tag === 'Long') {
    throw new MongoError(
      'BadValue',
      'int64 values beyond 2^53 in queries are not supported by the embedded store',
    );
  }
  if (!isPlainObject(filter)) return;
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$text')
      throw new MongoError('IndexNotFound', 'text index required for $text query');
    if (key === '$where')
      throw new MongoError('BadValue', '$where is not supported by the embedded store');
    if (GEO_OPERATORS.has(key)) {
      throw new MongoError(
        'BadValue',
        `${key} is not supported by the embedded store (no geospatial indexes)`,
      );
    }
    validateFilter(value);
  }
}

export interface CompiledFilter {
  test(doc: Document): boolean;
  /** Applies a find projection to matched documents (positional `$` needs the filter). */
  project(docs: Document[], projection: Document): Document[];
  readonly matchesAll: boolean;
}

function isPositional(projection: Document): boolean {
  return Object.keys(projection).some((key) => key.endsWith('.$'));
}

/** A projection value that includes (true) or excludes (false) its field; else undefined. */
function flagOf(value: unknown): boolean | undefined {
  if (value === 1 || value === true) return true;
  if (value === 0 || value === false) return false;
  return undefined;
}

/** Top-level inclusions only: the result is a new document holding stored values as-is. */
function isShallowInclusion(projection: Document): boolean {
  for (const [key, value] of Object.entries(projection)) {
    if (key.includes('.')) return false;
    const on = flagOf(value);
    if (on || (key === '_id' && on === false)) continue;
    return false;
  }
  return true;
}

/**
 * Refuses a projection that both includes and excludes fields (other than `_id`), with
 * MongoDB's code and message.
 */
function assertOneKind(projection: Document): void {
  let including: boolean | undefined;
  for (const [key, value] of Object.entries(projection)) {
    const on = flagOf(value);
    if (key === '_id' || on === undefined) continue;
    if (including !== undefined && including !== on) {
      const [kind, other] = on ? ['inclusion', 'exclusion'] : ['exclusion', 'inclusion'];
      throw new MongoError(
        'Location31254',
        `Cannot do ${kind} on field ${key} in ${other} projection`,
      );
    }
    including = on;
  }
}

/**
 * A projection that only includes or only excludes top-level fields (`_id` either way), as
 * a function picking them in the document's own order, as MongoDB returns them; undefined
 * for any other projection.
 */
function topLevelProjection(projection: Document): ((doc: Document) => Document) | undefined {
  if (Object.keys(projection).length === 0) return undefined;
  let including: boolean | undefined;
  let withId = true;
  const fields = new Set<string>();
  for (const [key, value] of Object.entries(projection)) {
    const on = flagOf(value);
    if (on === undefined) return undefined;
    if (key === '_id') {
      withId = on;
      continue;
    }
    if (!TOP_LEVEL_FIELD.test(key)) return undefined;
    including = on;
    fields.add(key);
  }
  // `{_id: 1}` alone keeps only `_id`; `{_id: 0}` alone drops only `_id`.
  const keep = including ?? withId;
  return (doc) => {
    const out: Document = {};
    for (const key of Object.keys(doc)) {
      if (key === '_id' ? withId : fields.has(key) === keep) out[key] = doc[key];
    }
    return out;
  };
}

/**
 * Applies a find projection. Exclusions and dotted paths are applied by editing the
 * document's sub-documents, so they work on copies: stored documents are never modified.
 */
function applyProjection(query: Query, docs: Document[], projection: Document): Document[] {
  assertOneKind(projection);
  const pick = query === MATCH_ALL ? topLevelProjection(projection) : undefined;
  if (pick) return docs.map(pick);
  const input = isShallowInclusion(projection) ? docs : docs.map((doc) => deepClone(doc));
  return query.find<Document>(input, projection).all();
}

/** A compiled filter (a class: per-call arrow properties would each be renamed at runtime). */
class CompiledQuery implements CompiledFilter {
  constructor(
    private readonly query: Query,
    readonly matchesAll: boolean,
  ) {}

  test(doc: Document): boolean {
    return this.matchesAll || this.query.test(doc);
  }

  project(docs: Document[], projection: Document): Document[] {
    return applyProjection(isPositional(projection) ? this.query : MATCH_ALL, docs, projection);
  }
}

/** Compiles a filter; throws MongoError for operators MongoDB would refuse. */
export function compileFilter(filter: Document | undefined): CompiledFilter {
  const f = filter ?? {};
  validateFilter(f);
  const matchesAll = Object.keys(f).length === 0;
  return new CompiledQuery(matchesAll ? MATCH_ALL : new Query(f, PREPARED_OPTIONS), matchesAll);
}

/**
 * For filters an index answers exactly (equalities on indexed fields): nothing to test, and
 * the query engine is only needed for a positional projection.
 */
class ExactQuery implements CompiledFilter {
  readonly matchesAll = false;
  private compiled: CompiledFilter | undefined;

  constructor(private readonly filter: Document) {}

  test(): boolean {
    return true;
  }

  project(docs: Document[], projection: Document): Document[] {
    if (!isPositional(projection)) return applyProjection(MATCH_ALL, docs, projection);
    this.compiled ??= compileFilter(this.filter);
    return this.compiled.project(docs, projection);
  }
}

export function exactFilter(filter: Document): CompiledFilter {
  return new ExactQuery(filter);
}

export function parseSort(spec: unknown): SortSpec {
  if (!isPlainObject(spec)) throw new MongoError('BadValue', 'sort must be an object');
  const out: SortSpec = [];
  for (const [path, dir] of Object.entries(spec)) {
    if (isPlainObject(dir)) {
      throw new MongoError('BadValue', `sort by $meta is not supported by the embedded store`);
    }
    if (dir === 1 || dir === -1) out.push([path, dir]);
    else
      throw new MongoError(
        'BadValue',
        `$sort key ordering must be 1 (for ascending) or -1 (for descending)`,
      );
  }
  if (out.length === 0)
    throw new MongoError('BadValue', '$sort stage must have at least one sort key');
  return out;
}

/** Stable sort in MongoDB order; arrays sort by their smallest (or largest) element. */
export function sortDocuments(docs: Document[], sort: SortSpec): Document[] {
  if (sort.length === 1 && sort[0]?.[0] === '$natural') {
    return sort[0][1] === -1 ? docs.slice().reverse() : docs;
  }
  const keyed = docs.map((doc, i) => ({
    doc,
    i,
    keys: sort.map(([p, d]) => sortValue(doc, p, d)),
  }));
  keyed.sort((a, b) => {
    for (let k = 0; k < sort.length; k++) {
      const c = compareValues(a.keys[k], b.keys[k]);
      if (c !== 0) return (sort[k] as [string, 1 | -1])[1] === 1 ? c : -c;
    }
    return a.i - b.i;
  });
  return keyed.map((k) => k.doc);
}
