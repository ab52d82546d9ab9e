/**
 * Concurrent scans share database commands (server/src/db/batcher.ts): the batcher's own
 * rules, then the batched writes against the real store, where every scan must still get
 * exactly its own handshake and contacts.
 */
import { Types } from 'mongoose';
import type { ContactListResponse } from '../../shared/contacts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Batcher } from '../../server/src/db/batcher';
import { ContactModel } from '../../server/src/features/contacts/contacts.model';
import { recordExchangeContact } from '../../server/src/features/contacts/contacts.service';
import { createTestEvent, joinTestEvent } from '../helpers/accounts';
import { requestJson } from '../helpers/http';
import { startTestServer, type TestServer } from '../helpers/server';
import { exchangeCode, exchangeWorld, patchContact, scan, userWithCard } from './exchange.fixtures';

describe('Batcher', () => {
  it('sends what arrives in one turn as one batch, in order, each caller getting its own', async () => {
    const batches: number[][] = [];
    const batcher = new Batcher<number, number>(async (items) => {
      batches.push([...items]);
      return items.map((n) => n * 10);
    });
    const results = await Promise.all([1, 2, 3].map((n) => batcher.submit(n)));
    expect(results).toEqual([10, 20, 30]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('fails only the item whose outcome is an error, and every item when the batch fails', async () => {
    const picky = new Batcher<number, number>(async (items) =>
      items.map((n) => (n === 2 ? new Error('two is refused') : n)),
    );
    const outcomes = await Promise.allSettled([1, 2, 3].map((n) => picky.submit(n)));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toEqual(new Error('two is refused'));

    const broken = new Batcher<number, number>(() => Promise.reject(new Error('down')));
    const all = await Promise.allSettled([1, 2].map((n) => broken.submit(n)));
    expect(all.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    // The batcher carries on after a failed batch.
    const after = new Batcher<number, number>(async (items) => [...items]);
    await expect(after.submit(7)).resolves.toBe(7);
  });

  it('keeps at most maxInFlight batches out and sends what queued meanwhile together', async () => {
    const batches: number[][] = [];
    let out = 0;
    let mostOut = 0;
    const release: (() => void)[] = [];
    const batcher = new Batcher<number, number>(
      async (items) => {
        batches.push([...items]);
        out += 1;
        mostOut = Math.max(mostOut, out);
        await new Promise<void>((resolve) => release.push(resolve));
        out -= 1;
        return [...items];
      },
      { maxInFlight: 1, maxBatch: 3 },
    );
    const first = batcher.submit(0);
    await new Promise((resolve) => setImmediate(resolve));
    const rest = [1, 2, 3, 4].map((n) => batcher.submit(n));
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([[0]]);
    while (batches.length < 3 || release.length > 0) {
      release.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await expect(Promise.all([first, ...rest])).resolves.toEqual([0, 1, 2, 3, 4]);
    expect(batches).toEqual([[0], [1, 2, 3], [4]]);
    expect(mostOut).toBe(1);
  });
  it('with a delay, gathers items until it passes or the batch is full; flush sends at once', async () => {
    const batches: number[][] = [];
    const batcher = new Batcher<number, number>(
      async (items) => {
        batches.push([...items]);
        return [...items];
      },
      { delayMs: 60_000, maxBatch: 3, maxInFlight: 1 },
    );
    const full = [1, 2, 3].map((n) => batcher.submit(n));
    await expect(Promise.all(full)).resolves.toEqual([1, 2, 3]);
    const waiting = batcher.submit(4);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(batches).toEqual([[1, 2, 3]]);
    await batcher.flush();
    expect(batches).toEqual([[1, 2, 3], [4]]);
    await expect(waiting).resolves.toBe(4);
    // Nothing queued and nothing out: flush has nothing to wait for.
    await batcher.flush();
    expect(batches).toHaveLength(2);
  });
});

describe('batched scan writes', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('contact upserts sent together: new, existing and repeated pairs each get their own contact', async () => {
    const [owner, known, newA, newB] = Array.from({ length: 4 }, () => new Types.ObjectId());
    const firstEvent = new Types.ObjectId();
    const secondEvent = new Types.ObjectId();
    const card = (fullName: string) => ({ fullName, company: `${fullName} Inc` });
    const at = new Date('2026-12-01T18:00:00.000Z');
    const record = (other: Types.ObjectId | undefined, eventId: Types.ObjectId, name: string) => ({
      ownerId: String(owner),
      otherUserId: String(other),
      card: card(name),
      eventId: String(eventId),
      teamId: null,
      at,
    });
    const earlier = await recordExchangeContact(record(known, firstEvent, 'Known'));
    await ContactModel.collection.updateOne({ _id: earlier._id }, { $set: { tag: 'cooperation' } });

    // One turn of the event loop: one bulk write for all five.
    const results = await Promise.all([
      recordExchangeContact(record(newA, secondEvent, 'New A')),
      recordExchangeContact(record(known, secondEvent, 'Known Again')),
      recordExchangeContact(record(newB, secondEvent, 'New B')),
      recordExchangeContact(record(newA, secondEvent, 'New A')),
      recordExchangeContact(record(newB, secondEvent, 'New B')),
    ]);

    const stored = await ContactModel.collection.find({ ownerId: owner }).toArray();
    expect(stored).toHaveLength(3);
    const byOther = new Map(stored.map((doc) => [String(doc.otherUserId), doc]));
    const [a1, k, b1, a2, b2] = results;
    for (const [result, other] of [
      [a1, newA],
      [a2, newA],
      [k, known],
      [b1, newB],
      [b2, newB],
    ] as const) {
      const doc = byOther.get(String(other));
      expect(String(result?._id)).toBe(String(doc?._id));
      expect(String(result?.otherUserId)).toBe(String(other));
      expect(result?.card).toEqual(doc?.card);
    }
    // The existing contact keeps its id and tag and gains the event.
    expect(String(k?._id)).toBe(String(earlier._id));
    expect(k?.tag).toBe('cooperation');
    expect(k?.card.fullName).toBe('Known Again');
    expect(k?.eventIds.map(String)).toEqual([String(firstEvent), String(secondEvent)]);
    // New ones are exactly what was inserted.
    expect(a1).toMatchObject({ tag: 'none', rating: null, note: '', teamId: null });
    expect(a1?.eventIds.map(String)).toEqual([String(secondEvent)]);
    expect(b1?.card.fullName).toBe('New B');
  });

  it('concurrent scans over HTTP: each scanner gets the handshake and contact of their own scan', async () => {
    const { organizer, alice, event } = await exchangeWorld(server);
    const people = await Promise.all(
      ['Ana', 'Ben', 'Cy', 'Dee'].map((name) =>
        userWithCard(server, { fullName: `${name} Person`, company: `${name} Co` }),
      ),
    );
    await Promise.all(people.map((p) => joinTestEvent(server.url, p, event.joinCode)));
    // Alice met Ana and Ben at the first event and tagged Ana.
    const met = [];
    for (const person of people.slice(0, 2)) {
      const code = await exchangeCode(server, person, event.id);
      const res = await scan(server, alice, event.id, { code: code.token, method: 'qr' });
      expect(res.status).toBe(201);
      met.push(res.body.contact);
    }
    const tagged = await patchContact(server, alice, met[0]?.id ?? '', { tag: 'cooperation' });
    expect(tagged.status).toBe(200);

    const second = await createTestEvent(server.url, organizer);
    await Promise.all(
      [alice, ...people].map((user) => joinTestEvent(server.url, user, second.joinCode)),
    );
    const codes = await Promise.all(people.map((p) => exchangeCode(server, p, second.id)));
    const scans = await Promise.all(
      codes.map((code) => scan(server, alice, second.id, { code: code.token, method: 'qr' })),
    );

    expect(scans.map((res) => res.status)).toEqual([201, 201, 201, 201]);
    scans.forEach((res, i) => {
      const person = people[i];
      expect(res.body.handshake.otherUserId).toBe(person?.user.id);
      expect(res.body.handshake.eventId).toBe(second.id);
      expect(res.body.contact.otherUserId).toBe(person?.user.id);
      expect(res.body.contact.card.fullName).toBe(`${['Ana', 'Ben', 'Cy', 'Dee'][i]} Person`);
    });
    const [ana, ben, cy, dee] = scans.map((res) => res.body.contact);
    expect(ana?.id).toBe(met[0]?.id);
    expect(ana?.tag).toBe('cooperation');
    expect(ana?.eventIds).toEqual([event.id, second.id]);
    expect(ben?.id).toBe(met[1]?.id);
    expect(ben?.eventIds).toEqual([event.id, second.id]);
    for (const fresh of [cy, dee]) {
      expect(fresh?.eventIds).toEqual([second.id]);
      expect(fresh?.tag).toBe('none');
    }
    const list = await requestJson<ContactListResponse>(`${server.url}/api/contacts?limit=50`, {
      headers: alice.headers,
    });
    expect(list.body.items.map((c) => c.id).sort()).toEqual(
      scans.map((res) => res.body.contact.id).sort(),
    );
    // And each person got a contact for Alice.
    for (const person of people) {
      const theirs = await requestJson<ContactListResponse>(
        `${server.url}/api/contacts?eventId=${second.id}`,
        { headers: person.headers },
      );
      expect(theirs.body.items.map((c) => c.otherUserId)).toEqual([alice.user.id]);
    }
  });
});
