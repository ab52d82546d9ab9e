/**
 * The store's value order for the keys its indexes hold most: ObjectIds order by their 12
 * bytes (as their hex strings do), strings by code unit, and each kind keeps its rank among
 * BSON types.
 */
import { randomBytes } from 'node:crypto';
import { ObjectId } from 'bson';
import { describe, expect, it } from 'vitest';
import { compareValues } from '../../server/src/db/store/engine/values';

const sign = (n: number) => Math.sign(n);

describe('store value order', () => {
  it('orders ObjectIds as their hex strings order, whatever the bytes', () => {
    const edges = ['00', '7f', '80', 'ff'].map((b) => new ObjectId(b.repeat(12)));
    const ids = [
      ...edges,
      ...Array.from({ length: 400 }, () => new ObjectId(randomBytes(12))),
      // Ids made now share their leading time bytes and differ late.
      ...Array.from({ length: 100 }, () => new ObjectId()),
    ];
    for (let i = 0; i < ids.length; i += 1) {
      const a = ids[i] as ObjectId;
      const b = ids[(i * 7 + 3) % ids.length] as ObjectId;
      const hex =
        a.toHexString() < b.toHexString() ? -1 : a.toHexString() > b.toHexString() ? 1 : 0;
      expect(sign(compareValues(a, b))).toBe(hex);
      expect(sign(compareValues(b, a))).toBe(-hex);
    }
    const sorted = [...ids].sort(compareValues).map((id) => id.toHexString());
    expect(sorted).toEqual(ids.map((id) => id.toHexString()).sort());
  });

  it('finds equal ObjectIds equal, however they were made', () => {
    const hex = randomBytes(12).toString('hex');
    expect(compareValues(new ObjectId(hex), new ObjectId(Buffer.from(hex, 'hex')))).toBe(0);
  });

  it('keeps strings by code unit and each type in its rank', () => {
    expect(sign(compareValues('a', 'b'))).toBe(-1);
    expect(sign(compareValues('B', 'a'))).toBe(-1);
    expect(compareValues('same', 'same')).toBe(0);
    // MongoDB's order: numbers < strings < objects < ObjectIds < dates.
    const id = new ObjectId();
    expect(sign(compareValues(5, 'a'))).toBe(-1);
    expect(sign(compareValues('z', id))).toBe(-1);
    expect(sign(compareValues(id, 'z'))).toBe(1);
    expect(sign(compareValues({ a: 1 }, id))).toBe(-1);
    expect(sign(compareValues(id, new Date(0)))).toBe(-1);
    expect(sign(compareValues(null, id))).toBe(-1);
  });
});
