/**
 * The server's start-up resolution (MONGODB_URI → a mongod binary → the embedded store):
 * each path is chosen for the stated reason, and the data outlives a restart.
 */
import { MongoClient } from 'mongodb';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { MongodBinaryError, resolveDatabase } from '../../server/src/db/resolve';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'server/src/db/cli.ts');
const mongodOnPath = spawnSync('/bin/sh', ['-c', 'command -v mongod']).status === 0;

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'coop-startup-'));
  dirs.push(dir);
  return dir;
}

function recorder(): {
  log: (msg: string, meta?: Record<string, unknown>) => void;
  lines: string[];
} {
  const lines: string[] = [];
  return { lines, log: (msg, meta) => lines.push(`${msg} ${JSON.stringify(meta ?? {})}`) };
}

/**
 * A stand-in `mongod` for machines without one: it answers `--version` like mongod and
 * serves the embedded store on the port and dbpath it is given, printing the line
 * mongodb-memory-server waits for.
 */
function fakeMongod(dir: string): string {
  const path = join(dir, 'mongod');
  writeFileSync(
    path,
    `#!${process.execPath}
const { spawn } = require('node:child_process');
const args = process.argv.slice(2);
if (args[0] === '--version') {
  console.log('db version v7.0.14');
  process.exit(0);
}
const get = (name) => args[args.indexOf(name) + 1];
const child = spawn(process.execPath, ['--import', 'tsx', ${JSON.stringify(CLI)},
  '--port', get('--port'), '--dbpath', get('--dbpath')],
  { cwd: ${JSON.stringify(ROOT)}, stdio: ['ignore', 'pipe', 'ignore'] });
child.stdout.on('data', (data) => {
  if (/listening on/.test(String(data))) console.log('{"msg":"Waiting for connections"}');
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
`,
  );
  chmodSync(path, 0o755);
  return path;
}

async function roundTrip(uri: string, write: boolean): Promise<number> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000 });
  try {
    const events = client.db('startup').collection<{ _id: string }>('events');
    if (write) await events.insertOne({ _id: `e${Date.now()}` });
    return await events.countDocuments();
  } finally {
    await client.close();
  }
}

describe('database start-up resolution', () => {
  it('uses MONGODB_URI when set, and logs it without credentials', async () => {
    const { log, lines } = recorder();
    const uri = 'mongodb://app:s3cret@db.example.org:27017/coop';
    const resolved = await resolveDatabase({ mongodbUri: uri, dataDir: tempDir(), log });
    expect(resolved).toMatchObject({ uri, kind: 'mongodb' });
    await resolved.close();
    expect(lines.join('\n')).toContain('MONGODB_URI');
    expect(lines.join('\n')).not.toContain('s3cret');
  });

  it('refuses a configured mongod binary that does not exist', async () => {
    const { log } = recorder();
    const missing = join(tempDir(), 'no-such-mongod');
    await expect(
      resolveDatabase({ mongodBinary: missing, dataDir: tempDir(), log }),
    ).rejects.toThrow(MongodBinaryError);
  });

  it.skipIf(mongodOnPath)('falls back to the embedded store under <dataDir>/db', async () => {
    const dataDir = tempDir();
    for (const expected of [1, 2]) {
      const { log, lines } = recorder();
      const resolved = await resolveDatabase({ dataDir, log });
      expect(resolved.kind).toBe('embedded');
      expect(lines.join('\n')).toMatch(/no MONGODB_URI and no mongod binary found/);
      expect(await roundTrip(resolved.uri, true)).toBe(expected);
      await resolved.close();
    }
    expect(readdirSync(join(dataDir, 'db'))).toContain('journal.00000001');
  });

  it.skipIf(mongodOnPath || process.platform === 'win32')(
    'serves the embedded store on a Unix socket in a directory only this user can open, removed on close',
    async () => {
      const resolved = await resolveDatabase({ dataDir: tempDir(), log: recorder().log });
      const socketPath = decodeURIComponent(resolved.uri.slice('mongodb://'.length));
      expect(socketPath).toMatch(/\/store\.sock$/);
      expect(statSync(socketPath).isSocket()).toBe(true);
      expect(statSync(dirname(socketPath)).mode & 0o777).toBe(0o700);
      expect(await roundTrip(resolved.uri, true)).toBe(1);
      await resolved.close();
      expect(existsSync(dirname(socketPath))).toBe(false);
    },
  );

  it('refuses a second embedded store on the same data directory until the first is closed', async () => {
    const dataDir = tempDir();
    const first = await resolveDatabase({ dataDir, log: recorder().log });
    await expect(resolveDatabase({ dataDir, log: recorder().log })).rejects.toThrow(
      /dbpath .* is in use by process \d+/,
    );
    // The refused start changed nothing: the first store still serves its data.
    expect(await roundTrip(first.uri, true)).toBe(1);
    await first.close();
    const second = await resolveDatabase({ dataDir, log: recorder().log });
    expect(await roundTrip(second.uri, true)).toBe(2);
    await second.close();
  });

  it('starts a configured mongod on a persistent dbPath under <dataDir>/mongod', async () => {
    const dataDir = tempDir();
    const binary = fakeMongod(tempDir());
    for (const expected of [1, 2]) {
      const { log, lines } = recorder();
      const resolved = await resolveDatabase({ mongodBinary: binary, dataDir, log });
      expect(resolved.kind).toBe('mongodb');
      expect(lines.join('\n')).toMatch(/starting a local mongod/);
      expect(lines.join('\n')).toContain('"version":"7.0.14"');
      expect(await roundTrip(resolved.uri, true)).toBe(expected);
      await resolved.close();
    }
    // The files stay where the next start finds them; the lock is released on stop.
    expect(readdirSync(join(dataDir, 'mongod'))).toContain('journal.00000001');
    expect(existsSync(join(dataDir, 'mongod', 'mongod.lock'))).toBe(false);
  }, 60_000);
});
