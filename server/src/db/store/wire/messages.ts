/** Decoding requests and encoding replies in the MongoDB wire protocol. */
import { deserialize, type DeserializeOptions, type Document, serialize } from 'bson';
import { crc32c } from './crc32c';
import { FrameError, HEADER_BYTES } from './frames';

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_MSG = 2013;

const CHECKSUM_PRESENT = 1 << 0;
const MORE_TO_COME = 1 << 1;
/** Flag bits 0-15 are "required": a receiver must refuse bits it does not know. */
const KNOWN_REQUIRED_FLAGS = CHECKSUM_PRESENT | MORE_TO_COME;

const BSON_OPTIONS: DeserializeOptions = {
  promoteLongs: true,
  promoteValues: true,
  promoteBuffers: false,
  bsonRegExp: false,
  validation: { utf8: true },
};

export interface CommandMessage {
  kind: 'msg';
  requestId: number;
  /** The client expects no reply (unacknowledged write, endSessions on close). */
  moreToCome: boolean;
  command: Document;
}

export interface LegacyQuery {
  kind: 'query';
  requestId: number;
  collection: string;
  query: Document;
}

export type Request = CommandMessage | LegacyQuery;

function readDocument(frame: Buffer, offset: number, end: number): { doc: Document; next: number } {
  if (offset + 5 > end) throw new FrameError('truncated BSON document');
  const size = frame.readInt32LE(offset);
  if (size < 5 || offset + size > end) throw new FrameError(`invalid BSON document size ${size}`);
  try {
    return {
      doc: deserialize(frame.subarray(offset, offset + size), BSON_OPTIONS),
      next: offset + size,
    };
  } catch (error) {
    throw new FrameError(`invalid BSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function readCString(frame: Buffer, offset: number, end: number): { value: string; next: number } {
  const zero = frame.indexOf(0, offset);
  if (zero === -1 || zero >= end) throw new FrameError('unterminated string');
  return { value: frame.toString('utf8', offset, zero), next: zero + 1 };
}

function parseMsg(frame: Buffer, requestId: number): CommandMessage {
  if (frame.length < HEADER_BYTES + 5) throw new FrameError('OP_MSG too short');
  const flags = frame.readUInt32LE(HEADER_BYTES);
  if ((flags & 0xffff & ~KNOWN_REQUIRED_FLAGS) !== 0)
    throw new FrameError(`unknown OP_MSG flags ${flags}`);
  let end = frame.length;
  if (flags & CHECKSUM_PRESENT) {
    end -= 4;
    if (end < HEADER_BYTES + 5) throw new FrameError('OP_MSG too short for checksum');
    if (crc32c(frame, 0, end) !== frame.readUInt32LE(end))
      throw new FrameError('OP_MSG checksum mismatch');
  }
  let body: Document | undefined;
  const sequences: Array<[string, Document[]]> = [];
  let offset = HEADER_BYTES + 4;
  while (offset < end) {
    const kind = frame[offset++];
    if (kind === 0) {
      if (body) throw new FrameError('OP_MSG with two body sections');
      const read = readDocument(frame, offset, end);
      body = read.doc;
      offset = read.next;
    } else if (kind === 1) {
      if (offset + 4 > end) throw new FrameError('truncated document sequence');
      const size = frame.readInt32LE(offset);
      const seqEnd = offset + size;
      if (size < 5 || seqEnd > end) throw new FrameError(`invalid document sequence size ${size}`);
      const id = readCString(frame, offset + 4, seqEnd);
      const docs: Document[] = [];
      let pos = id.next;
      while (pos < seqEnd) {
        const read = readDocument(frame, pos, seqEnd);
        docs.push(read.doc);
        pos = read.next;
      }
      sequences.push([id.value, docs]);
      offset = seqEnd;
    } else {
      throw new FrameError(`unknown OP_MSG section kind ${String(kind)}`);
    }
  }
  if (!body) throw new FrameError('OP_MSG without a body section');
  for (const [id, docs] of sequences) body[id] = docs;
  return { kind: 'msg', requestId, moreToCome: (flags & MORE_TO_COME) !== 0, command: body };
}

function parseQuery(frame: Buffer, requestId: number): LegacyQuery {
  let offset = HEADER_BYTES + 4;
  const name = readCString(frame, offset, frame.length);
  offset = name.next + 8;
  const { doc } = readDocument(frame, offset, frame.length);
  return { kind: 'query', requestId, collection: name.value, query: doc };
}

/** Parses one complete frame; throws FrameError for anything malformed or unsupported. */
export function parseRequest(frame: Buffer): Request {
  const requestId = frame.readInt32LE(4);
  const opCode = frame.readInt32LE(12);
  if (opCode === OP_MSG) return parseMsg(frame, requestId);
  if (opCode === OP_QUERY) return parseQuery(frame, requestId);
  throw new FrameError(`unsupported opcode ${opCode}`);
}

function header(buf: Buffer, requestId: number, responseTo: number, opCode: number): void {
  buf.writeInt32LE(buf.length, 0);
  buf.writeInt32LE(requestId, 4);
  buf.writeInt32LE(responseTo, 8);
  buf.writeInt32LE(opCode, 12);
}

const SERIALIZE_OPTIONS = { ignoreUndefined: true, checkKeys: false } as const;

export function encodeMsg(requestId: number, responseTo: number, doc: Document): Buffer {
  const body = serialize(doc, SERIALIZE_OPTIONS);
  const buf = Buffer.allocUnsafe(HEADER_BYTES + 5 + body.length);
  header(buf, requestId, responseTo, OP_MSG);
  buf.writeUInt32LE(0, HEADER_BYTES);
  buf[HEADER_BYTES + 4] = 0;
  buf.set(body, HEADER_BYTES + 5);
  return buf;
}

export function encodeReply(requestId: number, responseTo: number, doc: Document): Buffer {
  const body = serialize(doc, SERIALIZE_OPTIONS);
  const buf = Buffer.allocUnsafe(HEADER_BYTES + 20 + body.length);
  header(buf, requestId, responseTo, OP_REPLY);
  buf.writeInt32LE(0, HEADER_BYTES);
  buf.writeBigInt64LE(0n, HEADER_BYTES + 4);
  buf.writeInt32LE(0, HEADER_BYTES + 12);
  buf.writeInt32LE(1, HEADER_BYTES + 16);
  buf.set(body, HEADER_BYTES + 20);
  return buf;
}
