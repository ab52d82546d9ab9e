import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../server/src/config';
import { createLogger } from '../../server/src/logger';
import { startServer, type RunningServer } from '../../server/src/server';

export interface TestServer extends RunningServer {
  dataDir: string;
}

/**
 * The real app in-process on 127.0.0.1:0, with its own fresh database: the embedded
 * store in a temp directory, or `MONGODB_URI` with a throwaway `test_` database.
 */
export async function startTestServer(
  env: Record<string, string> = {},
  options: { serveClient?: boolean } = {},
): Promise<TestServer> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'coopetition-test-'));
  const dbName = `test_${randomBytes(6).toString('hex')}`;
  assertTestDatabase(dbName);
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    JWT_SECRET: randomBytes(32).toString('base64url'),
    MONGODB_URI: process.env.MONGODB_URI,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    ...env,
  });
  const server = await startServer({
    config,
    logger: createLogger(config.logLevel),
    dbName,
    serveClient: options.serveClient ?? false,
  });
  return {
    ...server,
    dataDir,
    async close() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Tests must never run against a database that could hold real data. */
export function assertTestDatabase(dbName: string): void {
  if (!dbName.startsWith('test_')) {
    throw new Error(`Refusing to run tests against non-test database "${dbName}"`);
  }
  if (process.env.NODE_ENV === 'production') {
    throw new Error('Refusing to run tests with NODE_ENV=production');
  }
}
