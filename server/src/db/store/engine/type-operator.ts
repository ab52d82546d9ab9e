/**
 * `$type` by BSON type. The query engine's own version knows only the JavaScript-visible
 * types and silently matches nothing for objectId, binData, timestamp, minKey and maxKey.
 */
import type { AnyObject, Options } from 'mingo/types';
import { MongoError } from '../errors';
import { getPath, rawPathValues } from './paths';
import { isPlainObject } from './values';

const ALIASES: Record<string, number> = {
  double: 1,
  string: 2,
  object: 3,
  array: 4,
  binData: 5,
  undefined: 6,
  objectId: 7,
  bool: 8,
  date: 9,
  null: 10,
  regex: 11,
  dbPointer: 12,
  javascript: 13,
  symbol: 14,
  int: 16,
  timestamp: 17,
  long: 18,
  decimal: 19,
  minKey: -1,
  maxKey: 127,
};
const NUMBER_TYPES = new Set([1, 16, 18, 19]);
const TAGGED: Record<string, number> = {
  Double: 1,
  Binary: 5,
  ObjectId: 7,
  BSONRegExp: 11,
  Code: 13,
  BSONSymbol: 14,
  Int32: 16,
  Timestamp: 17,
  Long: 18,
  Decimal128: 19,
  MinKey: -1,
  MaxKey: 127,
};

/** The BSON type code a value is stored as (numbers as the encoder writes them). */
export function bsonTypeCode(v: unknown): number {
  if (v === undefined) return 6;
  if (v === null) return 10;
  switch (typeof v) {
    case 'number':
      return Number.isInteger(v) && v >= -2147483648 && v <= 2147483647 ? 16 : 1;
    case 'bigint':
      return 18;
    case 'string':
      return 2;
    case 'boolean':
      return 8;
    default:
      break;
  }
  if (Array.isArray(v)) return 4;
  if (v instanceof Date) return 9;
  if (v instanceof RegExp) return 11;
  if (isPlainObject(v)) return 3;
  const tag = (v as { _bsontype?: string })._bsontype;
  return (tag !== undefined ? TAGGED[tag] : undefined) ?? 3;
}

function parseTypes(value: unknown): Array<number | 'number'> {
  const list = Array.isArray(value) ? value : [value];
  return list.map((t) => {
    if (t === 'number') return 'number';
    if (typeof t === 'string' && t in ALIASES) return ALIASES[t] as number;
    if (typeof t === 'number' && Object.values(ALIASES).includes(t)) return t;
    throw new MongoError('BadValue', `Unknown type name alias: ${String(t)}`);
  });
}

/** Query operator: `(selector, value, options) => predicate`, as the query engine expects. */
export function $type(
  selector: string,
  value: unknown,
  _options: Options,
): (doc: AnyObject) => boolean {
  void _options;
  const types = parseTypes(value);
  const matches = (code: number): boolean =>
    types.some((t) => (t === 'number' ? NUMBER_TYPES.has(code) : t === code));
  return (doc) => {
    if (types.includes(4) && Array.isArray(getPath(doc, selector))) return true;
    return rawPathValues(doc, selector).some((v) => matches(bsonTypeCode(v)));
  };
}
