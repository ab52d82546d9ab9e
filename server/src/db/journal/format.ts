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

/** Bytes before the first record: frame header, document length, `r` array header. */
const BODY_PREFIX = FRAME_HEADER_BYTES + 4 + 3 + 4;
/** Room kept for the array's and the document's terminators and the `m`/`e` fields. */
const BODY_SUFFIX = 1 + 4 + 7 + 1;

/**
 * Builds frames in one reusable buffer: records are serialized straight into it, so
 * journaling a write allocates nothing per record and a snapshot of a million documents
 * does not churn the garbage collector. The body is the BSON of `{r: [...], m?, e?}`.
 */
export class FrameBuilder {
  private buffer: Buffer;
  private at = BODY_PREFIX;
  private records = 0;

  constructor(initialBytes = 1024 * 1024) {
    this.buffer = Buffer.allocUnsafe(initialBytes);
  }

  get count(): number {
    return this.records;
  }

  get bytes(): number {
    return this.at;
  }

  /**
   * Appends a record to the open frame. Returns false when it does not fit and the frame
   * already holds records: finish it first. An empty frame grows to fit one large record.
   */
  tryAdd(record: JournalRecord): boolean {
    for (;;) {
      const start = this.at;
      try {
        if (start + 16 > this.buffer.length) throw new RangeError('frame full');
        this.buffer[start] = 0x03; // embedded document
        const keyEnd = writeIndexKey(this.buffer, start + 1, this.records);
        const last = BSON.serializeWithBufferAndIndex(record, this.buffer, { index: keyEnd + 1 });
        if (last + 1 + BODY_SUFFIX > this.buffer.length) throw new RangeError('frame full');
        this.at = last + 1;
        this.records += 1;
        return true;
      } catch (error) {
        this.at = start;
        if (this.records > 0) return false;
        if (this.buffer.length >= FRAME_MAX_BYTES) throw error;
        this.buffer = Buffer.allocUnsafe(Math.min(this.buffer.length * 2, FRAME_MAX_BYTES));
      }
    }
  }

  /**
   * Closes the open frame and returns its bytes: a view into the builder, valid until the
   * next `tryAdd`. `more` marks a frame continued by the next one (same unit); `end`
   * carries a snapshot's record count.
   */
  finish(more = false, end: number | null = null): Buffer {
    const frame = this.buffer;
    let at = this.at;
    frame[at++] = 0x00; // end of the `r` array
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
    frame[at++] = 0x00; // end of the document

    let head = FRAME_HEADER_BYTES;
    head = frame.writeInt32LE(at - FRAME_HEADER_BYTES, head);
    frame[head++] = 0x04; // array
    head += frame.write('r\x00', head, 'latin1');
    frame.writeInt32LE(this.at + 1 - head, head);

    const body = frame.subarray(FRAME_HEADER_BYTES, at);
    frame.writeUInt32LE(body.length, 0);
    frame.writeUInt32LE(crc32(body), 4);
    this.at = BODY_PREFIX;
    this.records = 0;
    return frame.subarray(0, at);
  }

  /** Drops the open frame (after a failed write). */
  reset(): void {
    this.at = BODY_PREFIX;
    this.records = 0;
  }

  /** Shrinks back after an unusually large unit so the buffer does not stay huge. */
  trim(maxBytes: number): void {
    if (this.buffer.length > maxBytes && this.records === 0) {
      this.buffer = Buffer.allocUnsafe(maxBytes);
    }
  }
}

/** Writes an array index key ("0", "1", …) and its NUL; returns the NUL's offset. */
function writeIndexKey(buffer: Buffer, at: number, index: number): number {
  // Buffer.write of a short string costs more than the record it labels.
  const digits = String(index);
  for (let i = 0; i < digits.length; i++) buffer[at + i] = digits.charCodeAt(i);
  buffer[at + digits.length] = 0x00;
  return at + digits.length;
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
