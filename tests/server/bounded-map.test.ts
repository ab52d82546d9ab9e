import { describe, expect, it } from 'vitest';
import { BoundedMap } from '../../server/src/bounded-map';

describe('BoundedMap', () => {
  it('drops the oldest key when a new one comes to a full map, never for an update', () => {
    const map = new BoundedMap<string, number>(2);
    map.set('a', 1).set('b', 2);
    map.set('a', 10);
    expect([...map]).toEqual([
      ['a', 10],
      ['b', 2],
    ]);
    map.set('c', 3);
    expect([...map]).toEqual([
      ['b', 2],
      ['c', 3],
    ]);
  });
});
