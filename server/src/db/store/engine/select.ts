import type { Document } from 'bson';
import type { Collection } from './collection';
import { plan, type Plan } from './planner';
import {
  compileFilter,
  type CompiledFilter,
  exactFilter,
  sortDocuments,
  type SortSpec,
} from './query';

export interface SelectOptions {
  sort?: SortSpec;
  skip?: number;
  /** 0 or undefined: no limit. */
  limit?: number;
}

/** What the last query did, for explain and for tests that assert an index was used. */
export interface QueryStats {
  stage: Plan['stage'];
  indexName?: string;
  keysExamined: number;
  docsExamined: number;
  nReturned: number;
  /** The matches were sorted in memory (no index provided the sort). */
  sortedInMemory?: boolean;
}

export interface Selection {
  docs: Document[];
  filter: CompiledFilter;
  stats: QueryStats;
}

/** Documents of `coll` matching `filter`, sorted, skipped and limited. */
export function select(
  coll: Collection | undefined,
  filter: Document | undefined,
  options: SelectOptions = {},
): Selection {
  if (!coll) {
    const compiled = compileFilter(filter);
    return {
      docs: [],
      filter: compiled,
      stats: { stage: 'COLLSCAN', keysExamined: 0, docsExamined: 0, nReturned: 0 },
    };
  }
  const skip = options.skip ?? 0;
  const limit = options.limit ?? 0;
  const p = plan(coll, filter, { sort: options.sort, limit: limit > 0 ? skip + limit : 0 });
  const compiled = p.exact && filter ? exactFilter(filter) : compileFilter(filter);
  const sortInMemory = options.sort !== undefined && !p.sorted;
  // Unless every match must be sorted, the scan can stop as soon as enough documents matched.
  const stopAt = !sortInMemory && limit > 0 ? skip + limit : Infinity;
  let matched: Document[] = [];
  let examined = 0;
  for (const doc of p.candidates) {
    examined++;
    if (p.exact || compiled.test(doc)) {
      matched.push(doc);
      if (matched.length >= stopAt) break;
    }
  }
  if (sortInMemory && options.sort) matched = sortDocuments(matched, options.sort);
  if (skip > 0 || limit > 0) matched = matched.slice(skip, limit > 0 ? skip + limit : undefined);
  const stats: QueryStats = {
    stage: p.stage,
    keysExamined: p.keysExamined,
    docsExamined: examined,
    nReturned: matched.length,
  };
  if (p.indexName) stats.indexName = p.indexName;
  if (sortInMemory) stats.sortedInMemory = true;
  return { docs: matched, filter: compiled, stats };
}
