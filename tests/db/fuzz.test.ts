/**
 * Throws random and mutated wire-protocol frames at a running store over raw sockets.
 * Seeded: a failure names its case number, which replays with the same SEED.
 * The store must stay up, end (or answer) every bad connection, keep serving normal
 * clients and keep the data it held before, in memory and on disk.
 */
import { BSON, type Document } from 'bson';
import { MongoClient } from 'mongodb';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnStore, type StoreProcess } from '../bench/db-store-process';
import { prng } from '../helpers/random';

const SEED = 0xc00b_2026;
const MAX_CASES = 3_000;
const TIME_BUDGET_MS = 15_000;
const PARALLEL = 24;
/** A complete frame must be answered or its connection closed within this. */
const REACTION_MS = 2_000;
/** How long an incomplete frame is left waiting before we end our side. */
const INCOMPLETE_WAIT_MS = 60;

const OP_REPLY = 1;
const OP_QUERY = 2004;
const OP_MSG = 2013;

function header(length: number, requestId: number, opCode: number): Buffer {
  const head = Buffer.alloc(16);
  head.writeInt32LE(length, 0);
  head.writeInt32LE(requestId, 4);
  head.writeInt32LE(0, 8);
  head.writeInt32LE(opCode, 12);
  return head;
}

function opMsg(body: Document, sequences: Record<string, Document[]> = {}, flags = 0): Buffer {
  const parts: Buffer[] = [Buffer.from([0]), Buffer.from(BSON.serialize(body))];
  for (const [id, docs] of Object.entries(sequences)) {
    const payload = Buffer.concat([
      Buffer.from(`${id}\0`, 'latin1'),
      ...docs.map((d) => Buffer.from(BSON.serialize(d))),
    ]);
    const size = Buffer.alloc(4);
    size.writeInt32LE(payload.length + 4);
    parts.push(Buffer.from([1]), size, payload);
  }
  const flagBytes = Buffer.alloc(4);
  flagBytes.writeUInt32LE(flags);
  const rest = Buffer.concat([flagBytes, ...parts]);
  return Buffer.concat([header(16 + rest.length, 7, OP_MSG), rest]);
}

function opQuery(ns: string, query: Document): Buffer {
  const rest = Buffer.concat([
    Buffer.alloc(4),
    Buffer.from(`${ns}\0`, 'latin1'),
    Buffer.from([0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]),
    Buffer.from(BSON.serialize(query)),
  ]);
  return Buffer.concat([header(16 + rest.length, 9, OP_QUERY), rest]);
}

/** Valid frames the mutations start from; all of them touch only the `fuzz` database. */
const BASE: Buffer[] = [
  opMsg({ hello: 1, $db: 'admin' }),
  opMsg({ ping: 1, $db: 'fuzz' }),
  opQuery('admin.$cmd', { isMaster: 1, helloOk: true }),
  opMsg({ insert: 'junk', $db: 'fuzz', ordered: true }, { documents: [{ a: 1 }, { b: 'x' }] }),
  opMsg({ insert: 'junk', documents: [{ n: 1.5, s: 'str', arr: [1, 2] }], $db: 'fuzz' }),
  opMsg({ find: 'junk', filter: { a: { $gt: 0 } }, limit: 2, $db: 'fuzz' }),
  opMsg({ update: 'junk', updates: [{ q: { a: 1 }, u: { $inc: { a: 1 } } }], $db: 'fuzz' }),
];

/** A document nested `depth` levels deep, built by hand (the serializer would recurse). */
function deepDocument(depth: number): Buffer {
  // Each level: length, type 0x03, key "a\0" (7 bytes) and a closing 0x00 at the end.
  const size = depth * 8 + 5;
  const doc = Buffer.alloc(size);
  let at = 0;
  for (let level = 0; level < depth; level++) {
    doc.writeInt32LE(size - level * 8, at);
    doc[at + 4] = 0x03;
    doc.write('a\0', at + 5, 'latin1');
    at += 7;
  }
  doc.writeInt32LE(5, at);
  return doc;
}

interface Case {
  kind: string;
  bytes: Buffer;
  delivery: 'whole' | 'bytewise' | 'chunks';
}

function mutate(random: () => number, source: Buffer, maxMessage: number): Buffer {
  const bytes = Buffer.from(source);
  const pick = (n: number): number => Math.floor(random() * n);
  switch (pick(9)) {
    case 0: // flip a few bytes anywhere
      for (let i = 0, n = 1 + pick(4); i < n; i++) bytes[pick(bytes.length)] = pick(256);
      return bytes;
    case 1: // flip a byte past the header: flags, sections, BSON
      bytes[16 + pick(bytes.length - 16)] = pick(256);
      return bytes;
    case 2: // truncate
      return bytes.subarray(0, pick(bytes.length));
    case 3: // lie about the length
      bytes.writeInt32LE(
        [0, 1, 15, 16, 17, bytes.length - 1, bytes.length + 1, maxMessage + 1, -1, 0x7fffffff][
          pick(10)
        ]!,
        0,
      );
      return bytes;
    case 4: // unknown or legacy opcode
      bytes.writeInt32LE([0, 1, 2001, 2002, 2005, 2010, 2012, 2014, pick(2 ** 31)][pick(9)]!, 12);
      return bytes;
    case 5: // flag bits (checksum without a checksum, unknown required bits)
      bytes.writeUInt32LE([1, 2, 3, 1 << 16, 0xffffffff, pick(2 ** 32)][pick(6)]!, 16);
      return bytes;
    case 6: // a BSON length field that disagrees with the frame
      bytes.writeInt32LE([0, 4, 5, 1 << 30, -5, pick(100)][pick(6)]!, 21);
      return bytes;
    case 7: // trailing garbage inside the frame
      return withLength(Buffer.concat([bytes, randomBytes(random, 1 + pick(40))]));
    default: // an invalid BSON type byte
      bytes[26 + pick(Math.max(1, bytes.length - 27))] = [0x00, 0x06, 0x0e, 0x20, 0x7e, 0xee][
        pick(6)
      ]!;
      return bytes;
  }
}

function withLength(bytes: Buffer): Buffer {
  bytes.writeInt32LE(bytes.length, 0);
  return bytes;
}

function randomBytes(random: () => number, n: number): Buffer {
  return Buffer.from(Array.from({ length: n }, () => Math.floor(random() * 256)));
}

function makeCase(index: number, maxMessage: number): Case {
  const random = prng(SEED ^ Math.imul(index + 1, 0x9e3779b1));
  const base = BASE[Math.floor(random() * BASE.length)]!;
  const delivery = (): Case['delivery'] =>
    random() < 0.05 ? 'bytewise' : random() < 0.3 ? 'chunks' : 'whole';
  const roll = random();
  if (roll < 0.55)
    return { kind: 'mutated', bytes: mutate(random, base, maxMessage), delivery: delivery() };
  if (roll < 0.65)
    return {
      kind: 'random',
      bytes: randomBytes(random, Math.floor(random() * 300)),
      delivery: delivery(),
    };
  if (roll < 0.72) {
    const bytes = randomBytes(random, 16 + Math.floor(random() * 200));
    bytes.writeInt32LE(bytes.length, 0);
    bytes.writeInt32LE([OP_MSG, OP_QUERY][Math.floor(random() * 2)]!, 12);
    return { kind: 'random-body', bytes, delivery: delivery() };
  }
  if (roll < 0.8) {
    const bad = mutate(random, base, maxMessage);
    return {
      kind: 'batched',
      bytes: Buffer.concat([BASE[1]!, bad, BASE[1]!]),
      delivery: delivery(),
    };
  }
  if (roll < 0.84) {
    const claim = [maxMessage + 1, 50_000_000, 0x7fffffff][Math.floor(random() * 3)]!;
    return { kind: 'oversize', bytes: header(claim, 1, OP_MSG), delivery: 'whole' };
  }
  if (roll < 0.86) {
    const depth = random() < 0.5 ? 2_000 : 60_000;
    const doc = deepDocument(depth);
    const frame = Buffer.concat([header(0, 3, OP_MSG), Buffer.alloc(4), Buffer.from([0]), doc]);
    return { kind: `deep-${depth}`, bytes: withLength(frame), delivery: 'whole' };
  }
  return { kind: 'valid', bytes: base, delivery: delivery() };
}

interface Card {
  _id: number;
  email: string;
  name?: string;
  company?: string;
  tags?: string[];
}

interface Outcome {
  replies: number;
  /** Answered, or the connection was closed by the store. */
  reacted: boolean;
  /** The store closed the connection before we ended our side. */
  closedByStore: boolean;
  malformedReply: string | null;
}

/** Reply frames must at least be well-formed and carry a document. */
function checkReplies(data: Buffer): { count: number; error: string | null } {
  let at = 0;
  let count = 0;
  while (at + 16 <= data.length) {
    const length = data.readInt32LE(at);
    if (length < 16) return { count, error: `reply length ${length}` };
    if (at + length > data.length) break;
    const opCode = data.readInt32LE(at + 12);
    try {
      if (opCode === OP_MSG) BSON.deserialize(data.subarray(at + 21, at + length));
      else if (opCode === OP_REPLY) BSON.deserialize(data.subarray(at + 36, at + length));
      else return { count, error: `reply opcode ${opCode}` };
    } catch (error) {
      return { count, error: `reply BSON: ${(error as Error).message}` };
    }
    count += 1;
    at += length;
  }
  return { count, error: null };
}

function deliver(socket: Socket, c: Case): Promise<void> {
  if (c.delivery === 'whole')
    return new Promise((resolve) => socket.write(c.bytes, () => resolve()));
  const size = c.delivery === 'bytewise' ? 1 : 7;
  return (async () => {
    for (let at = 0; at < c.bytes.length && !socket.destroyed; at += size) {
      await new Promise<void>((resolve) =>
        socket.write(c.bytes.subarray(at, at + size), () => resolve()),
      );
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
}

/** Whether the store must react to these bytes without the client ending first. */
function mustReact(c: Case, maxMessage: number): boolean {
  if (c.bytes.length < 4) return false;
  const claimed = c.bytes.readInt32LE(0);
  if (claimed < 16 || claimed > maxMessage) return true;
  if (claimed > c.bytes.length) return false;
  const opCode = c.bytes.length >= 16 ? c.bytes.readInt32LE(12) : 0;
  // An OP_MSG with moreToCome gets no reply by design.
  const flags = c.bytes.length >= 20 ? c.bytes.readUInt32LE(16) : 0;
  return !(opCode === OP_MSG && (flags & 2) !== 0);
}

async function runCase(port: number, c: Case, maxMessage: number): Promise<Outcome> {
  const socket = connect({ port, host: '127.0.0.1', noDelay: true });
  let data = Buffer.alloc(0);
  let closed = false;
  const closedPromise = new Promise<void>((resolve) =>
    socket.once('close', () => {
      closed = true;
      resolve();
    }),
  );
  socket.on('data', (chunk: Buffer) => (data = Buffer.concat([data, chunk])));
  socket.on('error', () => undefined);
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  await deliver(socket, c);
  const react = mustReact(c, maxMessage);
  const deadline = Date.now() + (react ? REACTION_MS : INCOMPLETE_WAIT_MS);
  while (!closed && Date.now() < deadline && checkReplies(data).count === 0) {
    await Promise.race([closedPromise, new Promise((resolve) => setTimeout(resolve, 5))]);
  }
  const replies = checkReplies(data);
  const reacted = closed || replies.count > 0;
  const closedByStore = closed;
  if (!reacted && !react) {
    // Incomplete: once we end our side the store has to let go of the connection too.
    socket.end();
    await Promise.race([closedPromise, new Promise((resolve) => setTimeout(resolve, REACTION_MS))]);
  }
  socket.destroy();
  return { replies: replies.count, reacted, closedByStore, malformedReply: replies.error };
}

describe('wire protocol fuzzing', () => {
  let dbpath: string;
  let store: StoreProcess;
  let client: MongoClient;
  const snapshot = async (c: MongoClient) => ({
    docs: await c.db('keep').collection('cards').find({}).sort({ _id: 1 }).toArray(),
    indexes: await c.db('keep').collection('cards').listIndexes().toArray(),
  });

  beforeAll(async () => {
    dbpath = mkdtempSync(join(tmpdir(), 'coop-fuzz-'));
    store = await spawnStore({ dbpath });
    client = new MongoClient(store.uri, { serverSelectionTimeoutMS: 5_000 });
    await client.connect();
    const cards = client.db('keep').collection<Card>('cards');
    await cards.createIndex({ email: 1 }, { unique: true });
    await cards.createIndex({ company: 1, name: -1 });
    await cards.insertMany(
      Array.from({ length: 200 }, (_, i) => ({
        _id: i,
        email: `person${i}@example.org`,
        name: `Person ${i}`,
        company: `Company ${i % 13}`,
        tags: i % 2 ? ['cooperation'] : ['competition'],
      })),
    );
  });

  afterAll(async () => {
    await client?.close(true);
    await store?.kill9();
    rmSync(dbpath, { recursive: true, force: true });
  });

  it('survives thousands of malformed frames with its data intact', async () => {
    const before = await snapshot(client);
    const hello = await client.db('admin').command({ hello: 1 });
    const maxMessage = Number(hello.maxMessageSizeBytes);
    expect(maxMessage).toBeGreaterThan(1_000_000);

    const started = Date.now();
    const failures: string[] = [];
    let next = 0;
    let ran = 0;
    const tally = { answered: 0, closed: 0, leftWaiting: 0 };
    const worker = async (): Promise<void> => {
      while (next < MAX_CASES && Date.now() - started < TIME_BUDGET_MS && failures.length < 10) {
        const index = next++;
        const c = makeCase(index, maxMessage);
        const outcome = await runCase(store.port, c, maxMessage);
        ran += 1;
        if (outcome.closedByStore) tally.closed += 1;
        else if (outcome.replies > 0) tally.answered += 1;
        else tally.leftWaiting += 1;
        const where = `case ${index} (${c.kind}, ${c.delivery}, ${c.bytes.subarray(0, 40).toString('hex')})`;
        if (!store.alive()) failures.push(`${where}: the store exited\n${store.output().stderr}`);
        else if (outcome.malformedReply) failures.push(`${where}: ${outcome.malformedReply}`);
        else if (!outcome.reacted && mustReact(c, maxMessage)) {
          failures.push(`${where}: neither answered nor closed`);
        } else if (c.kind === 'valid' && outcome.replies === 0) {
          failures.push(`${where}: a valid frame got no reply`);
        }
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    console.log(
      `fuzz seed ${SEED}: ${ran} cases in ${Date.now() - started} ms; closed ${tally.closed},` +
        ` answered ${tally.answered}, incomplete and left waiting ${tally.leftWaiting}`,
    );
    expect(failures).toEqual([]);
    expect(ran).toBeGreaterThanOrEqual(1_000);
    expect(store.alive()).toBe(true);

    // Normal clients still work, and the data from before is untouched.
    expect((await client.db('admin').command({ ping: 1 })).ok).toBe(1);
    const fresh = new MongoClient(store.uri, { serverSelectionTimeoutMS: 5_000 });
    await fresh.connect();
    await fresh.db('keep').collection('scratch').insertOne({ after: 'fuzz' });
    expect(await snapshot(fresh)).toEqual(before);
    await fresh.close();
    await expect(
      client
        .db('keep')
        .collection<Card>('cards')
        .insertOne({ _id: -1, email: 'person1@example.org' }),
    ).rejects.toMatchObject({ code: 11000 });

    // And so is what reaches the disk: a clean restart reads the same state back.
    await client.close();
    expect((await store.stop()).code).toBe(0);
    store = await spawnStore({ dbpath });
    client = new MongoClient(store.uri, { serverSelectionTimeoutMS: 5_000 });
    await client.connect();
    expect(await snapshot(client)).toEqual(before);
  }, 60_000);
});
