/**
 * BSON value semantics the query engine does not provide: MongoDB's cross-type ordering,
 * a canonical key for equality (1 == 1.0 == Long(1)), and copy-on-write cloning.
 */
import type { Document } from 'bson';

interface BsonTagged {
  _bsontype: string;
}

function bsonType(v: object): string | undefined {
  const tag = (v as Partial<BsonTagged>)._bsontype;
  return typeof tag === 'string' ? tag : undefined;
}

/** True for plain documents (not arrays, dates or BSON class instances). */
export function isPlainObject(v: unknown): v is Document {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** MongoDB's comparison/sort order of BSON types (null and missing rank together). */
export function typeRank(v: unknown): number {
  if (v === undefined || v === null) return 2;
  switch (typeof v) {
    case 'number':
    case 'bigint':
      return 3;
    case 'string':
      return 4;
    case 'boolean':
      return 9;
    case 'object':
      break;
    default:
      return 14;
  }
  if (Array.isArray(v)) return 6;
  if (v instanceof Date) return 10;
  if (v instanceof RegExp) return 12;
  if (ArrayBuffer.isView(v)) return 7;
  switch (bsonType(v)) {
    case undefined:
      return 5;
    case 'MinKey':
      return 1;
    case 'Long':
    case 'Double':
    case 'Int32':
    case 'Decimal128':
      return 3;
    case 'BSONSymbol':
      return 4;
    case 'Binary':
      return 7;
    case 'ObjectId':
      return 8;
    case 'Timestamp':
      return 11;
    case 'BSONRegExp':
      return 12;
    case 'MaxKey':
      return 15;
    default:
      return 5;
  }
}

/** Numeric value of any BSON number (Long and Decimal128 approximated for ordering). */
export function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'object' && v !== null) {
    const tagged = v as { toNumber?: () => number; valueOf: () => unknown; toString: () => string };
    if (bsonType(v) === 'Decimal128') return Number(tagged.toString());
    if (typeof tagged.toNumber === 'function') return tagged.toNumber();
    return Number(tagged.valueOf());
  }
  return Number.NaN;
}

function cmp<T extends number | string | boolean>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareNumbers(a: number, b: number): number {
  // MongoDB orders NaN below every other number.
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : -1;
  if (Number.isNaN(b)) return 1;
  return cmp(a, b);
}

function bytesOf(v: object): Uint8Array {
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  const binary = v as { buffer?: Uint8Array; position?: number };
  const buf = binary.buffer ?? new Uint8Array(0);
  return buf.subarray(0, binary.position ?? buf.length);
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

/** The four 24-bit words bson 7 keeps an ObjectId in (big-endian order of its 12 bytes). */
interface ObjectIdWords {
  i0: number;
  i1: number;
  i2: number;
  i3: number;
}

function hasWords(v: object): v is ObjectIdWords {
  return typeof (v as Partial<ObjectIdWords>).i3 === 'number';
}

/**
 * ObjectIds order by their 12 bytes. Index keys are mostly ObjectIds, so this runs in
 * every index search: compared word by word when the bson release keeps the words (no hex
 * string built per comparison), else by hex string, which orders the same.
 */
function compareObjectIds(a: object, b: object): number {
  if (hasWords(a) && hasWords(b)) {
    return (
      compareNumbers(a.i0, b.i0) ||
      compareNumbers(a.i1, b.i1) ||
      compareNumbers(a.i2, b.i2) ||
      compareNumbers(a.i3, b.i3)
    );
  }
  return cmp(String(a.toString()), String(b.toString()));
}

/** Compares two BSON values the way MongoDB orders them (arrays element by element). */
export function compareValues(a: unknown, b: unknown): number {
  // The two kinds index keys hold most, before the general type ranking.
  if (typeof a === 'string' && typeof b === 'string') return cmp(a, b);
  if (
    typeof a === 'object' &&
    typeof b === 'object' &&
    a !== null &&
    b !== null &&
    (a as Partial<BsonTagged>)._bsontype === 'ObjectId' &&
    (b as Partial<BsonTagged>)._bsontype === 'ObjectId'
  ) {
    return compareObjectIds(a, b);
  }
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  switch (ra) {
    case 1:
    case 2:
    case 15:
      return 0;
    case 3:
      return compareNumbers(toNumber(a), toNumber(b));
    case 4:
      return cmp(String(a), String(b));
    case 9:
      return cmp(a as boolean, b as boolean);
    case 10:
      return compareNumbers((a as Date).getTime(), (b as Date).getTime());
    case 6:
      return compareArrays(a as unknown[], b as unknown[]);
    case 5:
      return compareDocuments(a as Document, b as Document);
    case 7:
      return compareBytes(bytesOf(a as object), bytesOf(b as object));
    case 8:
      return compareObjectIds(a as object, b as object);
    case 11:
      return compareNumbers(toNumber(a), toNumber(b));
    case 12:
      return cmp(String(a), String(b));
    default:
      return 0;
  }
}

function compareArrays(a: unknown[], b: unknown[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareValues(a[i], b[i]);
    if (c !== 0) return c;
  }
  return cmp(a.length, b.length);
}

function compareDocuments(a: Document, b: Document): number {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  const n = Math.min(ka.length, kb.length);
  for (let i = 0; i < n; i++) {
    const fa = ka[i] as string;
    const fb = kb[i] as string;
    const va: unknown = a[fa];
    const vb: unknown = b[fb];
    const rt = cmp(typeRank(va), typeRank(vb));
    if (rt !== 0) return rt;
    const rk = cmp(fa, fb);
    if (rk !== 0) return rk;
    const rv = compareValues(va, vb);
    if (rv !== 0) return rv;
  }
  return cmp(ka.length, kb.length);
}

/**
 * A string that is equal for exactly the values MongoDB considers equal, used as a hash key
 * (document ids, distinct values). Self-delimiting so compound keys can be concatenated.
 */
export function keyString(v: unknown): string {
  switch (typeof v) {
    case 'undefined':
      return 'n';
    case 'number':
      return `d${Object.is(v, -0) ? '0' : String(v)};`;
    case 'bigint':
      return Number.isSafeInteger(Number(v)) ? `d${String(v)};` : `l${String(v)};`;
    case 'string':
      return `s${v.length}:${v}`;
    case 'boolean':
      return v ? 'b1' : 'b0';
    case 'object':
      break;
    default:
      return `u${String(v)};`;
  }
  if (v === null) return 'n';
  if (Array.isArray(v)) return `[${v.map(keyString).join('')}]`;
  if (v instanceof Date) return `t${v.getTime()};`;
  if (v instanceof RegExp) return `r${v.source.length}:${v.source}${v.flags};`;
  const tag = bsonType(v);
  if (tag === undefined) {
    if (ArrayBuffer.isView(v)) return `x0:${Buffer.from(bytesOf(v)).toString('hex')};`;
    let out = '{';
    for (const [k, val] of Object.entries(v)) out += `${k.length}:${k}${keyString(val)}`;
    return `${out}}`;
  }
  switch (tag) {
    case 'ObjectId':
      return `o${String(v.toString())}`;
    case 'Long':
    case 'Int32':
    case 'Double': {
      const n = toNumber(v);
      return Number.isSafeInteger(n) || tag !== 'Long' ? keyString(n) : `l${String(v.toString())};`;
    }
    case 'Binary': {
      const subType = (v as { sub_type?: number }).sub_type ?? 0;
      return `x${subType}:${Buffer.from(bytesOf(v)).toString('hex')};`;
    }
    default:
      return `${tag}:${JSON.stringify(v)};`;
  }
}

/** A document's key in its collection's map: the `_id` itself when it is a number. */
export type DocKey = string | number;

/**
 * Numbers (the common non-ObjectId `_id`) key the map as themselves, sparing a string per
 * document; every other value uses its canonical key string.
 */
export function docKey(id: unknown): DocKey {
  if (typeof id === 'number') return Object.is(id, -0) ? 0 : id;
  const tag =
    typeof id === 'object' && id !== null ? (id as { _bsontype?: string })._bsontype : undefined;
  if (tag === 'Long' || tag === 'Int32' || tag === 'Double') {
    const n = toNumber(id);
    if (tag !== 'Long' || Number.isSafeInteger(n)) return n;
  }
  return keyString(id);
}

/** True when MongoDB considers both values equal. */
export function valuesEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  return typeRank(a) === typeRank(b) && keyString(a) === keyString(b);
}

/**
 * Deep copy of the mutable parts of a document (plain objects, arrays, dates). BSON class
 * instances are immutable in practice and are shared.
 */
export function deepClone<T>(v: T): T {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) return v.map((item: unknown) => deepClone(item)) as T;
  if (v instanceof Date) return new Date(v.getTime()) as T;
  if (!isPlainObject(v)) return v;
  const source: Document = v;
  const out: Document = {};
  for (const k of Object.keys(source)) out[k] = deepClone(source[k]);
  return out as T;
}
