import type { AddressInfo } from 'node:net';
import { createApp, type App } from './app';
import { ensureJwtSecret, type Config } from './config';
import { connectDatabase } from './db/connection';
import { flushHandshakeStats } from './features/stats/stats.record';
import type { Logger } from './logger';
import { useCrossNodeAdapter } from './realtime/io';

export interface RunningServer extends App {
  /** Base URL the server listens on, e.g. http://127.0.0.1:3000 */
  url: string;
  port: number;
  dbKind: 'mongodb' | 'embedded';
  /** Stops accepting, closes sockets, then flushes and closes the database. */
  close(): Promise<void>;
}

export interface StartOptions {
  config: Config;
  logger: Logger;
  dbName?: string;
  serveClient?: boolean;
}

/** Connects the database, builds the app and listens. Used by the entry point and tests. */
export async function startServer(options: StartOptions): Promise<RunningServer> {
  const { config, logger } = options;
  const db = await connectDatabase({
    mongodbUri: config.mongodbUri,
    mongodBinary: config.mongodBinary,
    dataDir: config.dataDir,
    dbName: options.dbName,
    log: (msg, meta) => logger.info(meta ?? {}, msg),
  });
  const jwtSecret = ensureJwtSecret(config);
  const app = createApp({
    config,
    logger,
    dbKind: db.kind,
    jwtSecret,
    serveClient: options.serveClient,
  });
  try {
    await useCrossNodeAdapter(app.io, config.realtimeAdapter, logger);
  } catch (error) {
    await db.close();
    throw error;
  }
  await new Promise<void>((resolve, reject) => {
    app.httpServer.once('error', reject);
    app.httpServer.listen(config.port, config.host, () => {
      app.httpServer.off('error', reject);
      resolve();
    });
  });
  const { port } = app.httpServer.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  if (config.publicUrlDerived && config.port === 0) {
    // PORT=0 picks a free port: links and QR codes must carry the one actually taken.
    config.publicUrl = config.publicUrl.replace(/:0$/, `:${port}`);
  }
  let closing: Promise<void> | undefined;
  return {
    ...app,
    url: `http://${host}:${port}`,
    port,
    dbKind: db.kind,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          // io.close() also closes the HTTP server; wait for in-flight requests.
          void app.io.close(() => resolve());
          app.httpServer.closeIdleConnections();
        });
        // Derived counters queued by the last answered scans go in before the database closes.
        await flushHandshakeStats();
        await db.close();
      })();
      return closing;
    },
  };
}
