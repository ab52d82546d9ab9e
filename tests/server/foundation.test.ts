import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestJson } from '../helpers/http';
import { startTestServer, type TestServer } from '../helpers/server';

describe('foundation: the real app on port 0', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });

  afterAll(async () => {
    await server?.close();
  });

  it('answers /api/health with the database kind and version', async () => {
    const res = await requestJson(`${server.url}/api/health`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: 'ok',
      db: process.env.MONGODB_URI ? 'mongodb' : 'embedded',
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
    });
  });

  it('answers an unknown API route with the error envelope', async () => {
    const res = await requestJson(`${server.url}/api/does-not-exist`);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      error: { code: 'route_not_found', message: 'No API route for GET /api/does-not-exist.' },
    });
  });

  it('answers a malformed JSON body with 400 malformed_json', async () => {
    const res = await requestJson(`${server.url}/api/auth/login`, {
      method: 'POST',
      rawBody: '{"email": "a@b.c",',
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: { code: 'malformed_json', message: 'The request body is not valid JSON.' },
    });
  });

  it('answers an oversized body with 413 payload_too_large', async () => {
    const res = await requestJson(`${server.url}/api/auth/login`, {
      method: 'POST',
      rawBody: JSON.stringify({ pad: 'x'.repeat(500 * 1024) }),
    });
    expect(res.status).toBe(413);
    expect(res.body).toEqual({
      error: { code: 'payload_too_large', message: 'The request body is too large.' },
    });
  });

  it('sends security headers', async () => {
    const res = await fetch(`${server.url}/api/health`);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });
});
