import { existsSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cookieParser from 'cookie-parser';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Config } from './config';
import { apiRouter } from './features';
import { apiNotFound, errorMiddleware } from './http/error-middleware';
import type { Logger } from './logger';
import { createRealtimeServer, type RealtimeServer } from './realtime/io';

export const CLIENT_DIST = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../client/dist',
);

export interface AppDeps {
  config: Config;
  logger: Logger;
  dbKind: 'mongodb' | 'embedded';
  jwtSecret: string;
  /** Serve the built client (production); tests of the API alone may turn it off. */
  serveClient?: boolean;
}

export interface App {
  app: Express;
  httpServer: HttpServer;
  io: RealtimeServer;
}

/** Builds the whole server (HTTP + Socket.io) without listening, so tests run it on port 0. */
export function createApp(deps: AppDeps): App {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.config.trustProxy);
  app.set('query parser', 'simple');

  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          mediaSrc: ["'self'", 'blob:'],
          connectSrc: ["'self'"],
          workerSrc: ["'self'", 'blob:'],
          manifestSrc: ["'self'"],
          fontSrc: ["'self'"],
          objectSrc: ["'none'"],
          frameAncestors: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          upgradeInsecureRequests: deps.config.env === 'production' ? [] : null,
        },
      },
      crossOriginEmbedderPolicy: false,
    }),
  );

  const httpServer = createServer(app);
  const io = createRealtimeServer(httpServer, { jwtSecret: deps.jwtSecret, logger: deps.logger });

  app.use('/api', express.json({ limit: '400kb' }), cookieParser());
  app.use('/api', apiRouter({ ...deps, io }));
  app.use('/api', apiNotFound);

  if (deps.serveClient !== false && existsSync(path.join(CLIENT_DIST, 'index.html'))) {
    app.use(
      express.static(CLIENT_DIST, {
        index: false,
        setHeaders(res, file) {
          // Hashed assets never change; the shell and service worker must revalidate.
          if (file.includes(`${path.sep}assets${path.sep}`)) {
            res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
          } else {
            res.setHeader('Cache-Control', 'no-cache');
          }
        },
      }),
    );
    app.get('/{*path}', (_req, res) => {
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(path.join(CLIENT_DIST, 'index.html'));
    });
  }

  app.use(errorMiddleware(deps.logger));
  return { app, httpServer, io };
}
