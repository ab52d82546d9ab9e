/**
 * On-disk format shared by journal and snapshot files.
 *
 * File  = header (16 bytes: 8-byte magic, u32 generation, u32 CRC-32 of the first 12 bytes)
 *         followed by frames.
 * Frame = u32 body length, u32 CRC-32 of the body, body.
 * Body  = BSON `{r: [record, …], m?: true, e?: count}`. One `append()` is one unit: it is
 *         split over several frames only when large, and every frame but the last carries
 *         `m: true`, so recovery applies a unit whole or not at all. A snapshot ends with a
 *         frame carrying `e` (the record count) so a complete snapshot can be told apart from
 *         a truncated one.
 * All integers are little-endian, like BSON itself.
 */
import { BSON, type Document } from 'bson';
import { crc32 } from 'node:zlib';
import type { JournalRecord } from './types';

export const FILE_HEADER_BYTES = 16;
export const FRAME_HEADER_BYTES = 8;
/** Frames are cut at about this size; a single larger record still gets its own frame. */
export const FRAME_TARGET_BYTES = 4 * 1024 * 1024;
/** Anything claiming more is corruption: a record is one document of at most 16 MB. */
export const FRAME_MAX_BYTES = 64 * 1024 * 1024;

export type FileKind = 'journal' | 'snapshot';

const MAGIC: Record<FileKind, Buffer> = {
  journal: Buffer.from('CPJRNL\x00\x01', 'latin1'),
  snapshot: Buffer.from('CPSNAP\x00\x01', 'latin1'),
};

/** Keeps the JavaScript types the records went in with (a Long stays a Long). */
const DESERIALIZE_OPTIONS = { promoteLongs: false } as const;

export function encodeFileHeader(kind: FileKind, generation: number): Buffer {
  const header = Buffer.alloc(FILE_HEADER_BYTES);
  MAGIC[kind].copy(header, 0);
  header.writeUInt32LE(generation, 8);
  header.writeUInt32LE(crc32(header.subarray(0, 12)), 12);
  return header;
}

/** The generation recorded in a header, or null when the header is missing or damaged. */
export function decodeFileHeader(kind: FileKind, header: Buffer): number | null {
  if (header.length < FILE_HEADER_BYTES) return null;
  if (!header.subarray(0, 8).equals(MAGIC[kind])) return null;
  if (header.readUInt32LE(12) !== crc32(header.subarray(0, 12))) return null;
  return header.readUInt32LE(8);
}

/**
 * Builds the BSON of `{r: parts, m?, e?}` from records that are already serialized, so a
 * unit of any size can be cut into frames without serializing twice (and without hitting
 * the BSON serializer's 16 MB working buffer).
 */
function encodeBody(parts: Uint8Array[], more: boolean, end: number | null): Buffer {
  const keys = parts.map((_, i) => Buffer.from(`${i}\x00`, 'latin1'));
  let arrayBytes = 4 + 1;
  for (let i = 0; i < parts.length; i++) arrayBytes += 1 + keys[i]!.length + parts[i]!.length;
  const flagBytes = (more ? 4 : 0) + (end === null ? 0 : 7);
  const docBytes = 4 + 3 + arrayBytes + flagBytes + 1;

  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + docBytes);
  let at = FRAME_HEADER_BYTES;
  at = frame.writeInt32LE(docBytes, at);
  frame[at++] = 0x04; // array
  at += frame.write('r\x00', at, 'latin1');
  at = frame.writeInt32LE(arrayBytes, at);
  for (let i = 0; i < parts.length; i++) {
    frame[at++] = 0x03; // embedded document
    at += keys[i]!.copy(frame, at);
    frame.set(parts[i]!, at);
    at += parts[i]!.length;
  }
  frame[at++] = 0x00;
  if (more) {
    frame[at++] = 0x08; // boolean
    at += frame.write('m\x00', at, 'latin1');
    frame[at++] = 0x01;
  }
  if (end !== null) {
    frame[at++] = 0x10; // int32
    at += frame.write('e\x00', at, 'latin1');
    at = frame.writeInt32LE(end, at);
  }
  frame[at] = 0x00;
  if (at + 1 !== frame.length) throw new Error('journal frame size miscalculated');

  const body = frame.subarray(FRAME_HEADER_BYTES);
  frame.writeUInt32LE(body.length, 0);
  frame.writeUInt32LE(crc32(body), 4);
  return frame;
}

/** Serializes one record. Records are plain objects, so any `id` value nests fine. */
export function serializeRecord(record: JournalRecord): Uint8Array {
  return BSON.serialize(record);
}

/**
 * Frames for one unit of records, ready to be written as one buffer. `end` marks the
 * closing frame of a snapshot.
 */
export function encodeUnit(parts: Uint8Array[], end: number | null = null): Buffer {
  if (parts.length <= 1 || totalLength(parts) <= FRAME_TARGET_BYTES) {
    return encodeBody(parts, false, end);
  }
  const frames: Buffer[] = [];
  let chunk: Uint8Array[] = [];
  let chunkBytes = 0;
  for (const part of parts) {
    if (chunk.length > 0 && chunkBytes + part.length > FRAME_TARGET_BYTES) {
      frames.push(encodeBody(chunk, true, null));
      chunk = [];
      chunkBytes = 0;
    }
    chunk.push(part);
    chunkBytes += part.length;
  }
  frames.push(encodeBody(chunk, false, end));
  return Buffer.concat(frames);
}

function totalLength(parts: Uint8Array[]): number {
  let n = 0;
  for (const part of parts) n += part.length;
  return n;
}

export interface DecodedBody {
  records: JournalRecord[];
  more: boolean;
  end: number | null;
}

/** Decodes a frame body whose CRC already matched; null if it is not what we write. */
export function decodeBody(body: Buffer): DecodedBody | null {
  let doc: Document;
  try {
    doc = BSON.deserialize(body, DESERIALIZE_OPTIONS);
  } catch {
    return null;
  }
  const list: unknown = doc.r;
  if (!Array.isArray(list)) return null;
  const records: JournalRecord[] = [];
  for (const item of list) {
    if (!isJournalRecord(item)) return null;
    records.push(item);
  }
  const end: unknown = doc.e;
  return { records, more: doc.m === true, end: typeof end === 'number' ? end : null };
}

const OPS = new Set([
  'createCollection',
  'dropCollection',
  'dropDatabase',
  'createIndex',
  'dropIndex',
  'put',
  'delete',
]);

function isJournalRecord(value: unknown): value is JournalRecord {
  if (typeof value !== 'object' || value === null) return false;
  const { op, db } = value as { op?: unknown; db?: unknown };
  return typeof op === 'string' && OPS.has(op) && typeof db === 'string';
}

export function checksum(body: Buffer): number {
  return crc32(body);
}
