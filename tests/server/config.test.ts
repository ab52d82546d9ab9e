import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, ensureJwtSecret, loadConfig } from '../../server/src/config';

describe('config', () => {
  it('starts with defaults and no environment at all', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.host).toBe('127.0.0.1');
    expect(config.publicUrl).toBe('http://127.0.0.1:3000');
    expect(config.dataDir).toBe(path.resolve('./data'));
    expect(config.mongodbUri).toBeUndefined();
    expect(config.env).toBe('development');
  });

  it('rejects bad values with one readable line per variable', () => {
    const load = () =>
      loadConfig({ PORT: 'eighty', PUBLIC_URL: 'ftp://x', MONGODB_URI: 'postgres://db' });
    expect(load).toThrow(ConfigError);
    try {
      load();
    } catch (err) {
      const message = (err as Error).message;
      expect(message).toMatch(/^Invalid configuration:/);
      expect(message).toMatch(/PORT: /);
      expect(message).toMatch(/PUBLIC_URL: PUBLIC_URL must be an http\(s\) URL/);
      expect(message).toMatch(/MONGODB_URI: MONGODB_URI must start with mongodb:\/\//);
    }
  });

  it('rejects a port out of range', () => {
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT/);
  });

  it('refuses a weak JWT secret in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'secret' })).toThrow(
      /JWT_SECRET: must be at least 32 characters in production/,
    );
  });

  it('strips a trailing slash from PUBLIC_URL', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://cards.example.org/' }).publicUrl).toBe(
      'https://cards.example.org',
    );
  });

  it('generates a JWT secret once and keeps it in DATA_DIR', () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'coopetition-config-'));
    const config = loadConfig({ DATA_DIR: dataDir });
    const first = ensureJwtSecret(config);
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(ensureJwtSecret(config)).toBe(first);
    const file = path.join(dataDir, 'jwt-secret');
    expect(readFileSync(file, 'utf8').trim()).toBe(first);
    expect(statSync(file).mode & 0o077).toBe(0);
  });
});
