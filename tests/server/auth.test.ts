import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AuthResponse, MeResponse } from '../../shared/auth';
import { SessionModel, UserModel } from '../../server/src/features/auth/auth.model';
import { REFRESH_RETRY_MS } from '../../server/src/features/auth/refresh-tokens';
import { bearer, refreshCookieFrom, registerUser } from '../helpers/accounts';
import { requestJson } from '../helpers/http';
import { startTestServer, type TestServer } from '../helpers/server';

const SECRET = randomBytes(32).toString('base64url');

describe('accounts: register, login, refresh, logout', () => {
  let server: TestServer;
  const url = (path: string) => `${server.url}${path}`;

  beforeAll(async () => {
    server = await startTestServer({ JWT_SECRET: SECRET });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('registers, sets a strict httpOnly refresh cookie and returns the user without secrets', async () => {
    const res = await requestJson<AuthResponse>(url('/api/auth/register'), {
      method: 'POST',
      body: {
        email: '  Eloise@Example.ORG ',
        password: 'correct horse battery',
        name: 'Éloïse Müller-Ørsted',
      },
    });
    expect(res.status).toBe(201);
    expect(res.body.user).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      email: 'eloise@example.org',
      name: 'Éloïse Müller-Ørsted',
      locale: 'en',
      createdAt: expect.any(String),
    });
    expect(JSON.stringify(res.body)).not.toMatch(/passwordHash|scrypt/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const setCookie = res.headers.getSetCookie().join('\n');
    expect(setCookie).toMatch(/coop_refresh=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/api/auth');

    const me = await requestJson<MeResponse>(url('/api/me'), {
      headers: bearer(res.body.accessToken),
    });
    expect(me.status).toBe(200);
    expect(me.body.user.email).toBe('eloise@example.org');
    expect(me.body.card?.fullName).toBe('Éloïse Müller-Ørsted');

    const stored = await UserModel.findById(res.body.user.id).lean();
    expect(stored?.passwordHash).toMatch(/^scrypt\$15\$8\$1\$/);
  });

  it('answers 409 email_taken for an existing email in any case and writes nothing', async () => {
    const alice = await registerUser(server.url);
    const before = await UserModel.countDocuments();
    const res = await requestJson(url('/api/auth/register'), {
      method: 'POST',
      body: { email: alice.email.toUpperCase(), password: 'another password', name: 'Copy' },
    });
    expect(res.status).toBe(409);
    expect(res.body).toEqual({
      error: { code: 'email_taken', message: 'An account with this email already exists.' },
    });
    expect(await UserModel.countDocuments()).toBe(before);
  });

  it('lets exactly one of several concurrent registrations with one email win', async () => {
    const email = 'race@example.org';
    const results = await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        requestJson(url('/api/auth/register'), {
          method: 'POST',
          body: { email, password: 'correct horse battery', name: `Racer ${i}` },
        }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    expect(await UserModel.countDocuments({ email })).toBe(1);
  });

  const badRegistrations: [string, unknown][] = [
    ['a short password', { email: 'x1@example.org', password: 'short', name: 'X' }],
    ['a 129-character password', { email: 'x2@example.org', password: 'p'.repeat(129), name: 'X' }],
    ['an invalid email', { email: 'not-an-email', password: 'long enough pass', name: 'X' }],
    ['an operator as email', { email: { $gt: '' }, password: 'long enough pass', name: 'X' }],
    ['an operator as password', { email: 'x3@example.org', password: { $gt: '' }, name: 'X' }],
    [
      'an operator as name',
      { email: 'x4@example.org', password: 'long enough pass', name: { $ne: 1 } },
    ],
    [
      'a line break in the name',
      { email: 'x5@example.org', password: 'long enough pass', name: 'A\r\nB' },
    ],
    [
      'a CRLF in the email',
      { email: 'x6@example.org\r\nBCC: y@z.org', password: 'long enough pass', name: 'X' },
    ],
    [
      'an unknown field',
      { email: 'x7@example.org', password: 'long enough pass', name: 'X', admin: true },
    ],
    ['a number as name', { email: 'x8@example.org', password: 'long enough pass', name: 42 }],
    ['an empty name', { email: 'x9@example.org', password: 'long enough pass', name: '   ' }],
    ['an array body', [{ email: 'x10@example.org' }]],
  ];
  it.each(badRegistrations)(
    'rejects registration with %s (400, nothing written)',
    async (_label, body) => {
      const before = await UserModel.countDocuments();
      const res = await requestJson<{ error: { code: string } }>(url('/api/auth/register'), {
        method: 'POST',
        body,
      });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.headers.getSetCookie()).toEqual([]);
      expect(await UserModel.countDocuments()).toBe(before);
    },
  );

  it('rejects malformed JSON with 400 malformed_json and writes nothing', async () => {
    const before = await UserModel.countDocuments();
    const res = await requestJson(url('/api/auth/register'), {
      method: 'POST',
      rawBody: '{"email":',
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: { code: 'malformed_json', message: 'The request body is not valid JSON.' },
    });
    expect(await UserModel.countDocuments()).toBe(before);
  });

  it('logs in with the right password only; unknown emails get the same answer', async () => {
    const bob = await registerUser(server.url, { email: 'bob@example.org' });
    const ok = await requestJson<AuthResponse>(url('/api/auth/login'), {
      method: 'POST',
      body: { email: 'BOB@example.org', password: bob.password },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.user.id).toBe(bob.user.id);
    expect(refreshCookieFrom(ok.headers)).toBeDefined();

    const wrong = await requestJson(url('/api/auth/login'), {
      method: 'POST',
      body: { email: 'bob@example.org', password: 'wrong password!' },
    });
    const unknown = await requestJson(url('/api/auth/login'), {
      method: 'POST',
      body: { email: 'nobody@example.org', password: 'wrong password!' },
    });
    const expected = {
      error: { code: 'invalid_credentials', message: 'The email or password is not right.' },
    };
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual(expected);
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(expected);
    expect(wrong.headers.getSetCookie()).toEqual([]);
  });

  it('rejects an operator in the login email (400) instead of matching any user', async () => {
    await registerUser(server.url);
    const res = await requestJson<{ error: { code: string } }>(url('/api/auth/login'), {
      method: 'POST',
      body: { email: { $gt: '' }, password: 'correct horse battery' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
  });

  it('rotates the refresh token; reusing a rotated one revokes the whole family', async () => {
    const carol = await registerUser(server.url);
    const first = await requestJson<AuthResponse>(url('/api/auth/refresh'), {
      method: 'POST',
      headers: { cookie: carol.cookie },
    });
    expect(first.status).toBe(200);
    expect(first.body.user.id).toBe(carol.user.id);
    const second = refreshCookieFrom(first.headers);
    expect(second).toBeDefined();
    expect(second).not.toBe(carol.cookie);
    const me = await requestJson(url('/api/me'), { headers: bearer(first.body.accessToken) });
    expect(me.status).toBe(200);

    // The original token was already spent: someone copied it.
    const reuse = await requestJson(url('/api/auth/refresh'), {
      method: 'POST',
      headers: { cookie: carol.cookie },
    });
    expect(reuse.status).toBe(401);
    expect(reuse.body).toEqual({
      error: {
        code: 'refresh_reused',
        message: 'This session was used somewhere else, so it was ended. Sign in again.',
      },
    });
    expect(reuse.headers.getSetCookie().join()).toMatch(/coop_refresh=;/);

    // The legitimate successor dies with its family.
    const afterRevoke = await requestJson<{ error: { code: string } }>(url('/api/auth/refresh'), {
      method: 'POST',
      headers: { cookie: second ?? '' },
    });
    expect(afterRevoke.status).toBe(401);
    expect(afterRevoke.body.error.code).toBe('refresh_invalid');
    const live = await SessionModel.countDocuments({ userId: carol.user.id, revokedAt: null });
    expect(live).toBe(0);
  });

  /** POST /api/auth/refresh with a cookie and, optionally, an Idempotency-Key. */
  const refreshWith = (cookie: string, key?: string) =>
    requestJson<AuthResponse & { error?: { code: string } }>(url('/api/auth/refresh'), {
      method: 'POST',
      headers: { cookie, ...(key === undefined ? {} : { 'idempotency-key': key }) },
    });
  const liveSessions = (userId: string) =>
    SessionModel.countDocuments({ userId, revokedAt: null, rotatedAt: null });

  it('answers a refresh retried with its Idempotency-Key (its answer was lost) and keeps the session', async () => {
    const fay = await registerUser(server.url);
    const first = await refreshWith(fay.cookie, 'lost-answer-1');
    expect(first.status).toBe(200);
    const neverArrived = refreshCookieFrom(first.headers) ?? '';

    // The phone never got that answer, so it still holds the old cookie, and retries.
    const retry = await refreshWith(fay.cookie, 'lost-answer-1');
    expect(retry.status).toBe(200);
    expect(retry.body.user.id).toBe(fay.user.id);
    const current = refreshCookieFrom(retry.headers) ?? '';
    expect(current).not.toBe(neverArrived);
    expect(await liveSessions(fay.user.id)).toBe(1);

    // The successor that never arrived is void; the session goes on from the new one.
    const stale = await refreshWith(neverArrived);
    expect(stale.status).toBe(401);
    expect(stale.body.error?.code).toBe('refresh_invalid');
    const next = await refreshWith(current);
    expect(next.status).toBe(200);
  });

  it('still ends the family for the old cookie with another key, none, or once its successor was used', async () => {
    for (const replay of ['another-key', undefined]) {
      const gus = await registerUser(server.url);
      expect((await refreshWith(gus.cookie, 'key-1')).status).toBe(200);
      const copy = await refreshWith(gus.cookie, replay);
      expect(copy.status).toBe(401);
      expect(copy.body.error?.code).toBe('refresh_reused');
      expect(await liveSessions(gus.user.id)).toBe(0);
    }
    const hal = await registerUser(server.url);
    const first = await refreshWith(hal.cookie, 'key-2');
    expect((await refreshWith(refreshCookieFrom(first.headers) ?? '')).status).toBe(200);
    const late = await refreshWith(hal.cookie, 'key-2');
    expect(late.body.error?.code).toBe('refresh_reused');
    expect(await liveSessions(hal.user.id)).toBe(0);
  });

  it('ends the family when the retry comes after the retry window', async () => {
    const ivy = await registerUser(server.url);
    expect((await refreshWith(ivy.cookie, 'key-3')).status).toBe(200);
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + REFRESH_RETRY_MS + 1000);
      const late = await refreshWith(ivy.cookie, 'key-3');
      expect(late.status).toBe(401);
      expect(late.body.error?.code).toBe('refresh_reused');
    } finally {
      vi.useRealTimers();
    }
    expect(await liveSessions(ivy.user.id)).toBe(0);
  });

  it('refuses a malformed Idempotency-Key with 400 and leaves the session as it was', async () => {
    const jo = await registerUser(server.url);
    const before = await SessionModel.find({ userId: jo.user.id }).lean();
    const bad = await refreshWith(jo.cookie, 'has a space');
    expect(bad.status).toBe(400);
    expect(bad.body.error?.code).toBe('validation_failed');
    expect(bad.headers.getSetCookie()).toEqual([]);
    expect(await SessionModel.find({ userId: jo.user.id }).lean()).toEqual(before);
    expect((await refreshWith(jo.cookie)).status).toBe(200);
  });

  it('keeps other sessions (families) alive when one is revoked', async () => {
    const dan = await registerUser(server.url);
    const phone = await requestJson<AuthResponse>(url('/api/auth/login'), {
      method: 'POST',
      body: { email: dan.email, password: dan.password },
    });
    const phoneCookie = refreshCookieFrom(phone.headers) ?? '';
    await requestJson(url('/api/auth/logout'), { method: 'POST', headers: { cookie: dan.cookie } });
    const res = await requestJson(url('/api/auth/refresh'), {
      method: 'POST',
      headers: { cookie: phoneCookie },
    });
    expect(res.status).toBe(200);
  });

  it('answers 401 refresh_missing without a cookie and refresh_invalid for an unknown one', async () => {
    const missing = await requestJson(url('/api/auth/refresh'), { method: 'POST' });
    expect(missing.status).toBe(401);
    expect(missing.body).toEqual({
      error: { code: 'refresh_missing', message: 'Sign in to continue.' },
    });
    const unknown = await requestJson<{ error: { code: string } }>(url('/api/auth/refresh'), {
      method: 'POST',
      headers: { cookie: `coop_refresh=${randomBytes(32).toString('base64url')}` },
    });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error.code).toBe('refresh_invalid');
  });

  it('logs out: 204, clears the cookie and the refresh token no longer works', async () => {
    const erin = await registerUser(server.url);
    const out = await fetch(url('/api/auth/logout'), {
      method: 'POST',
      headers: { cookie: erin.cookie },
    });
    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie().join()).toMatch(/coop_refresh=;.*Path=\/api\/auth/);
    const res = await requestJson<{ error: { code: string } }>(url('/api/auth/refresh'), {
      method: 'POST',
      headers: { cookie: erin.cookie },
    });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('refresh_invalid');
    expect(await SessionModel.countDocuments({ userId: erin.user.id, revokedAt: null })).toBe(0);
  });

  it('rate-limits login per IP and email with 429 rate_limited and Retry-After', async () => {
    const frank = await registerUser(server.url);
    for (let i = 0; i < 10; i += 1) {
      const res = await requestJson(url('/api/auth/login'), {
        method: 'POST',
        body: { email: frank.email, password: `wrong guess ${i}` },
      });
      expect(res.status).toBe(401);
    }
    const limited = await requestJson(url('/api/auth/login'), {
      method: 'POST',
      body: { email: frank.email, password: frank.password },
    });
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({
      error: { code: 'rate_limited', message: 'Too many attempts. Try again later.' },
    });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(800);
    // Another account from the same address is not locked out.
    const other = await registerUser(server.url);
    const ok = await requestJson(url('/api/auth/login'), {
      method: 'POST',
      body: { email: other.email, password: other.password },
    });
    expect(ok.status).toBe(200);
  });

  it('rate-limits registration attempts per IP and email', async () => {
    const email = 'grace@example.org';
    await registerUser(server.url, { email });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const res = await requestJson(url('/api/auth/register'), {
        method: 'POST',
        body: { email, password: 'correct horse battery', name: 'Grace' },
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([409, 409, 409, 409, 429]);
  });
});
