import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmbeddedStore } from '../../server/src/db/embedded';
import { FileDurability } from '../../server/src/db/journal/file-durability';

describe('embedded store recovery', () => {
  let dir: string | undefined;

  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('refuses to start when a journal record does not apply, instead of dropping it', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'coopetition-recovery-'));
    const journal = new FileDurability({ dbpath: dir });
    expect(await journal.open()).toEqual([]);
    await journal.append(
      [
        { op: 'createCollection', db: 'app', coll: 'users', options: {} },
        {
          op: 'createIndex',
          db: 'app',
          coll: 'users',
          spec: { name: 'email_1', key: { email: 1 }, unique: true },
        },
        { op: 'put', db: 'app', coll: 'users', doc: { _id: 1, email: 'a@example.org' } },
        // A second document with the same unique key can never be replayed.
        { op: 'put', db: 'app', coll: 'users', doc: { _id: 2, email: 'a@example.org' } },
      ],
      { j: true },
    );
    await journal.close();

    await expect(startEmbeddedStore({ port: 0, dbpath: dir })).rejects.toThrow(
      /cannot recover .*: journal record 3 \(put\) does not apply/,
    );

    // The refusal released the lock: a second attempt fails the same way, not as "locked".
    await expect(startEmbeddedStore({ port: 0, dbpath: dir })).rejects.toThrow(/cannot recover/);
  });
});
