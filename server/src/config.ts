import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const MIN_SECRET_LENGTH = 32;

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(65535).default(3000)),
  HOST: z.preprocess(emptyAsUndefined, z.string().min(1).default('127.0.0.1')),
  PUBLIC_URL: z.preprocess(
    emptyAsUndefined,
    z
      .url({ protocol: /^https?$/, error: 'PUBLIC_URL must be an http(s) URL' })
      .transform((url) => url.replace(/\/+$/, ''))
      .optional(),
  ),
  MONGODB_URI: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^mongodb(\+srv)?:\/\//, 'MONGODB_URI must start with mongodb:// or mongodb+srv://')
      .optional(),
  ),
  MONGOD_BINARY: z.preprocess(emptyAsUndefined, z.string().optional()),
  DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default('./data')),
  JWT_SECRET: z.preprocess(emptyAsUndefined, z.string().optional()),
  LOG_LEVEL: z.preprocess(
    emptyAsUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  TRUST_PROXY: z.preprocess(
    emptyAsUndefined,
    z
      .enum(['true', 'false'])
      .default('false')
      .transform((v) => v === 'true'),
  ),
  REALTIME_ADAPTER: z.preprocess(emptyAsUndefined, z.enum(['none', 'mongodb']).default('none')),
});

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  /** Origin that QR codes and links point at, without a trailing slash. */
  publicUrl: string;
  /** True when PUBLIC_URL was not set and publicUrl was derived from HOST and PORT. */
  publicUrlDerived: boolean;
  mongodbUri: string | undefined;
  mongodBinary: string | undefined;
  dataDir: string;
  /** Undefined until {@link ensureJwtSecret} fills it from DATA_DIR. */
  jwtSecret: string | undefined;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  trustProxy: boolean;
  /**
   * How Socket.io pushes reach sockets on other app nodes: `none` (one node) or `mongodb`
   * (through a collection of the shared MongoDB, read with a change stream).
   */
  realtimeAdapter: 'none' | 'mongodb';
}

/** Thrown with a message meant for the person starting the server. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Parses the environment once at boot. Nothing else in the server reads `process.env`.
 * Throws a {@link ConfigError} listing every bad variable.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (issue) => `  ${issue.path.join('.') || '(env)'}: ${issue.message}`,
    );
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.JWT_SECRET !== undefined && e.JWT_SECRET.length < MIN_SECRET_LENGTH) {
    if (e.NODE_ENV === 'production') {
      throw new ConfigError(
        `Invalid configuration:\n  JWT_SECRET: must be at least ${MIN_SECRET_LENGTH} characters in production (use e.g. \`openssl rand -base64 48\`)`,
      );
    }
  }
  if (e.REALTIME_ADAPTER === 'mongodb' && e.MONGODB_URI === undefined) {
    // Without MONGODB_URI each node would start a database of its own: nothing to share.
    throw new ConfigError(
      'Invalid configuration:\n  REALTIME_ADAPTER: mongodb passes pushes between nodes through the database they share; set MONGODB_URI (a replica set) on every node',
    );
  }
  const publicHost = e.HOST === '0.0.0.0' || e.HOST === '::' ? 'localhost' : e.HOST;
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    publicUrl: e.PUBLIC_URL ?? `http://${publicHost}:${e.PORT}`,
    publicUrlDerived: e.PUBLIC_URL === undefined,
    mongodbUri: e.MONGODB_URI,
    mongodBinary: e.MONGOD_BINARY,
    dataDir: path.resolve(e.DATA_DIR),
    jwtSecret: e.JWT_SECRET,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    realtimeAdapter: e.REALTIME_ADAPTER,
  };
}

/**
 * Returns the configured JWT secret or, when none is set, one generated on first run and
 * kept in DATA_DIR so tokens survive restarts.
 */
export function ensureJwtSecret(config: Config): string {
  if (config.jwtSecret) return config.jwtSecret;
  const file = path.join(config.dataDir, 'jwt-secret');
  try {
    const stored = readFileSync(file, 'utf8').trim();
    if (stored.length >= MIN_SECRET_LENGTH) return stored;
  } catch {
    // Not created yet.
  }
  mkdirSync(config.dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
