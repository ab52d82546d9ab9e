/**
 * The store's quick way with the common update (top-level `$set`, `$unset`, `$inc`, `$max`,
 * `$min`, single-value `$addToSet`) must give exactly what the operator engine gives: the
 * same document, the same field order and the same "changed" answer, without touching the
 * stored (frozen) document. Checked against the engine on thousands of generated updates,
 * then on the shapes the application's scan path sends.
 */
import { ObjectId, type Document } from 'bson';
import { describe, expect, it } from 'vitest';
import { applyDirectly, applyTopLevel } from '../../server/src/db/store/engine/update-operators';
import { sealDocument } from '../../server/src/db/store/engine/intern';
import { deepClone } from '../../server/src/db/store/engine/values';
import { prng } from '../helpers/random';

/** Numbers, choices and items from a seeded generator, so a failure replays. */
function generator(seed: number) {
  const next = prng(seed);
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  return { next, int, pick };
}

const FIELDS = ['a', 'b', 'count', 'name', 'tags', 'when', 'card', 'z_9'] as const;
const IDS = Array.from({ length: 3 }, (_, i) => new ObjectId(String(i + 1).repeat(24)));

function scalar(g: ReturnType<typeof generator>): unknown {
  switch (g.int(7)) {
    case 0:
      return g.int(5) - 2;
    case 1:
      return g.int(400) / 8;
    case 2:
      return g.pick(['', 'x', 'y', 'Éloïse']);
    case 3:
      return new Date(1_700_000_000_000 + g.int(3) * 1000);
    case 4:
      return g.pick([true, false, null]);
    case 5:
      return g.pick(IDS);
    default:
      return g.int(3);
  }
}

function value(g: ReturnType<typeof generator>): unknown {
  switch (g.int(6)) {
    case 0: {
      // Distinct items, as a set built by $addToSet is.
      const items: unknown[] = [];
      for (const item of [g.int(3), g.pick(['x', 'y']), g.pick(IDS)]) {
        if (g.next() < 0.6) items.push(item);
      }
      return items;
    }
    case 1:
      return { fullName: g.pick(['Ann', 'Bob']), company: g.pick(['Acme', 'Initech']) };
    default:
      return scalar(g);
  }
}

function documentOf(g: ReturnType<typeof generator>): Document {
  const doc: Document = { _id: g.pick(IDS) };
  for (const field of FIELDS) if (g.next() < 0.5) doc[field] = value(g);
  sealDocument(doc);
  return doc;
}

function updateOf(g: ReturnType<typeof generator>): Document {
  const operators: Document = {};
  const fields = [...FIELDS].sort(() => g.next() - 0.5).slice(0, 1 + g.int(4));
  for (const field of fields) {
    const op = g.pick(['$set', '$unset', '$inc', '$max', '$min', '$addToSet']);
    const arg =
      op === '$inc'
        ? g.pick([0, 1, -1, 2.5])
        : op === '$unset'
          ? ''
          : op === '$addToSet'
            ? g.pick([g.int(3), 'x', g.pick(IDS)])
            : op === '$set'
              ? value(g)
              : scalar(g);
    operators[op] = { ...(operators[op] as Document | undefined), [field]: arg };
  }
  return operators;
}

/** The operator engine's answer: it works on a deep copy, as the store's general path does. */
function throughEngine(doc: Document, operators: Document) {
  const next = deepClone(doc);
  const changed = applyDirectly(next, deepClone(operators), undefined);
  return { doc: next, changed };
}

describe('the top-level update path', () => {
  it('agrees with the operator engine on generated documents and updates', () => {
    const g = generator(20261126);
    let handled = 0;
    for (let round = 0; round < 5000; round += 1) {
      const doc = documentOf(g);
      const operators = updateOf(g);
      const before = JSON.stringify(doc);
      const quick = applyTopLevel(doc, operators);
      // The stored document is never written to.
      expect(JSON.stringify(doc)).toBe(before);
      if (!quick) continue;
      handled += 1;
      const engine = throughEngine(doc, operators);
      const context = { doc, operators };
      expect({ ...context, result: quick.doc }).toEqual({ ...context, result: engine.doc });
      expect(Object.keys(quick.doc), JSON.stringify(context)).toEqual(Object.keys(engine.doc));
      expect(quick.changed, JSON.stringify(context)).toBe(engine.changed);
    }
    // Most generated updates are of the simple kind; the rest were left to the engine.
    expect(handled).toBeGreaterThan(2000);
  });

  it('leaves every other update to the operator engine', () => {
    const doc: Document = { _id: 1, n: 'text', list: 5, dup: [1, 1], nested: { a: 1 } };
    sealDocument(doc);
    for (const operators of [
      { $set: { 'nested.a': 2 } },
      { $set: { _id: 1 } },
      { $set: { '0': 1 } },
      { $push: { tags: 'x' } },
      { $currentDate: { at: true } },
      { $inc: { n: 1 } },
      { $inc: { count: '1' } },
      { $max: { n: 3 } },
      { $min: { list: 'x' } },
      { $addToSet: { list: 1 } },
      { $addToSet: { dup: 2 } },
      { $addToSet: { tags: { $each: [1, 2] } } },
      { $set: { ok: 1 }, $inc: { n: 1 } },
    ]) {
      expect(applyTopLevel(doc, operators), JSON.stringify(operators)).toBeUndefined();
    }
  });

  it('takes the updates a scan sends: a contact upsert and the pulse counters', () => {
    const ownerId = new ObjectId();
    const eventId = new ObjectId();
    const contact: Document = {
      _id: new ObjectId(),
      ownerId,
      card: { fullName: 'Ann', company: 'Acme' },
      eventIds: [eventId],
      lastMetAt: new Date(1000),
      tag: 'cooperation',
    };
    sealDocument(contact);
    const secondEvent = new ObjectId();
    const rescan = {
      $set: { card: { fullName: 'Ann B.', company: 'Acme' }, lastMetAt: new Date(2000) },
      $addToSet: { eventIds: secondEvent },
    };
    const rescanned = applyTopLevel(contact, rescan);
    expect(rescanned).toEqual(throughEngine(contact, rescan));
    expect(rescanned?.doc.eventIds).toEqual([eventId, secondEvent]);
    expect(rescanned?.doc.tag).toBe('cooperation');

    const counters: Document = { _id: new ObjectId(), eventId, handshakes: 4, untagged: 2 };
    sealDocument(counters);
    const pulse = { $inc: { handshakes: 1, cooperation: 1 }, $max: { lastAt: new Date(5) } };
    const counted = applyTopLevel(counters, pulse);
    expect(counted).toEqual(throughEngine(counters, pulse));
    expect(counted?.doc).toMatchObject({ handshakes: 5, cooperation: 1, untagged: 2 });
    const same = applyTopLevel(counters, { $inc: { handshakes: 0 }, $max: { handshakes: 1 } });
    expect(same?.changed).toBe(false);
  });
});
