/** The wire protocol at the byte level: framing, legacy handshake, flags and bad input. */
import { deserialize, serialize, type Document } from 'bson';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc32c } from '../../server/src/db/store/wire/crc32c';
import { openHarness, type StoreHarness } from './store-harness';

let h: StoreHarness;
let host = '127.0.0.1';
let port = 27017;

beforeAll(async () => {
  h = await openHarness('wire');
  const url = new URL(h.uri);
  host = url.hostname;
  port = Number(url.port || 27017);
});
afterAll(async () => {
  await h.close();
});

let nextRequestId = 1;

function frame(opCode: number, payload: Buffer, requestId = nextRequestId++): Buffer {
  const header = Buffer.alloc(16);
  header.writeInt32LE(16 + payload.length, 0);
  header.writeInt32LE(requestId, 4);
  header.writeInt32LE(0, 8);
  header.writeInt32LE(opCode, 12);
  return Buffer.concat([header, payload]);
}

function opMsg(
  body: Document,
  options: { flags?: number; sequences?: Array<[string, Document[]]> } = {},
): Buffer {
  const flags = Buffer.alloc(4);
  flags.writeUInt32LE(options.flags ?? 0, 0);
  const parts = [flags, Buffer.from([0]), Buffer.from(serialize(body))];
  for (const [id, docs] of options.sequences ?? []) {
    const content = Buffer.concat([
      Buffer.from(`${id}\0`),
      ...docs.map((d) => Buffer.from(serialize(d))),
    ]);
    const size = Buffer.alloc(4);
    size.writeInt32LE(content.length + 4, 0);
    parts.push(Buffer.from([1]), size, content);
  }
  return frame(2013, Buffer.concat(parts));
}

function withChecksum(msg: Buffer, corrupt = false): Buffer {
  const out = Buffer.concat([msg, Buffer.alloc(4)]);
  out.writeInt32LE(out.length, 0);
  out.writeUInt32LE(out.readUInt32LE(16) | 1, 16);
  out.writeUInt32LE((crc32c(out, 0, out.length - 4) ^ (corrupt ? 1 : 0)) >>> 0, out.length - 4);
  return out;
}

class Wire {
  private buffered = Buffer.alloc(0);
  private waiters: Array<() => void> = [];
  closed = false;
  constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      this.waiters.splice(0).forEach((w) => w());
    });
    socket.on('close', () => {
      this.closed = true;
      this.waiters.splice(0).forEach((w) => w());
    });
    socket.on('error', () => undefined);
  }
  static async open(): Promise<Wire> {
    const socket = connect(port, host);
    await new Promise<void>((resolve, reject) =>
      socket.once('connect', resolve).once('error', reject),
    );
    return new Wire(socket);
  }
  /** The next reply's opCode and document (OP_MSG or OP_REPLY). */
  async reply(timeoutMs = 2000): Promise<{ opCode: number; doc: Document }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.buffered.length >= 4) {
        const length = this.buffered.readInt32LE(0);
        if (this.buffered.length >= length) {
          const msg = this.buffered.subarray(0, length);
          this.buffered = this.buffered.subarray(length);
          const opCode = msg.readInt32LE(12);
          const docStart = opCode === 1 ? 36 : 21;
          return { opCode, doc: deserialize(msg.subarray(docStart)) };
        }
      }
      if (this.closed) throw new Error('connection closed');
      if (Date.now() > deadline) throw new Error('no reply');
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }
  async closedWithin(ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (!this.closed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return this.closed;
  }
  end(): void {
    this.socket.destroy();
  }
}

describe('wire protocol', () => {
  it('answers the legacy OP_QUERY isMaster with OP_REPLY', async () => {
    const wire = await Wire.open();
    const query = Buffer.concat([
      Buffer.alloc(4),
      Buffer.from('admin.$cmd\0'),
      Buffer.from([0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]),
      Buffer.from(serialize({ isMaster: 1, helloOk: true })),
    ]);
    wire.socket.write(frame(2004, query));
    const { opCode, doc } = await wire.reply();
    expect(opCode).toBe(1);
    expect(doc).toMatchObject({ ismaster: true, ok: 1 });
    expect(doc.maxWireVersion).toBeGreaterThanOrEqual(9);
    wire.end();
  });

  it('handles frames split into single bytes and several frames in one chunk', async () => {
    const wire = await Wire.open();
    const ping = opMsg({ ping: 1, $db: 'admin' });
    for (const byte of ping) wire.socket.write(Buffer.from([byte]));
    expect((await wire.reply()).doc).toMatchObject({ ok: 1 });
    wire.socket.write(
      Buffer.concat([
        opMsg({ ping: 1, $db: 'admin' }),
        opMsg({ ping: 1, $db: 'admin' }),
        opMsg({ hello: 1, $db: 'admin' }),
      ]),
    );
    expect((await wire.reply()).doc).toMatchObject({ ok: 1 });
    expect((await wire.reply()).doc).toMatchObject({ ok: 1 });
    expect((await wire.reply()).doc).toMatchObject({ isWritablePrimary: true });
    wire.end();
  });

  it('merges document sequences and honours moreToCome and checksums', async () => {
    const wire = await Wire.open();
    const coll = 'wire_seq';
    wire.socket.write(
      opMsg(
        { insert: coll, $db: h.dbName },
        { sequences: [['documents', [{ _id: 1 }, { _id: 2 }]]] },
      ),
    );
    expect((await wire.reply()).doc).toMatchObject({ n: 2, ok: 1 });
    // moreToCome: the write happens but nothing is sent back.
    wire.socket.write(
      opMsg(
        { insert: coll, documents: [{ _id: 3 }], writeConcern: { w: 0 }, $db: h.dbName },
        { flags: 2 },
      ),
    );
    wire.socket.write(withChecksum(opMsg({ count: coll, $db: h.dbName })));
    expect((await wire.reply()).doc).toMatchObject({ n: 3, ok: 1 });
    wire.end();
  });

  it('closes only the offending connection on malformed input', async () => {
    if (!h.isEmbedded) return;
    const bad: Buffer[] = [
      Buffer.from([5, 0, 0, 0, 1, 2, 3, 4, 5]),
      frame(9999, Buffer.alloc(8)),
      frame(2013, Buffer.from([0, 0, 0, 0, 0, 12, 0, 0, 0, 99, 1, 2])),
      withChecksum(opMsg({ ping: 1, $db: 'admin' }), true),
      (() => {
        const huge = Buffer.alloc(16);
        huge.writeInt32LE(49_000_000, 0);
        huge.writeInt32LE(2013, 12);
        return huge;
      })(),
    ];
    for (const bytes of bad) {
      const wire = await Wire.open();
      wire.socket.write(bytes);
      expect(await wire.closedWithin(2000)).toBe(true);
    }
    const healthy = await Wire.open();
    healthy.socket.write(opMsg({ ping: 1, $db: 'admin' }));
    expect((await healthy.reply()).doc).toMatchObject({ ok: 1 });
    healthy.end();
    expect(await h.db.command({ ping: 1 })).toMatchObject({ ok: 1 });
  });
});
