import { randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { UserModel } from '../../server/src/features/auth/auth.model';
import { deriveKey } from '../../server/src/features/auth/keys';
import {
  ACCESS_AUDIENCE,
  ACCESS_TYP,
  signAccessToken,
  TOKEN_ISSUER,
  verifyAccessTokenDetailed,
} from '../../server/src/features/auth/tokens';
import { CardModel } from '../../server/src/features/cards/cards.model';
import { bearer, registerUser } from '../helpers/accounts';
import { requestJson } from '../helpers/http';
import { startTestServer, type TestServer } from '../helpers/server';

const SECRET = randomBytes(32).toString('base64url');

describe('access tokens: each kind verified by its own rules', () => {
  let server: TestServer;
  let userId: string;
  let valid: string;
  const me = (token: string) =>
    requestJson<{ error: { code: string } }>(`${server.url}/api/me`, { headers: bearer(token) });
  const claims = () => ({ typ: ACCESS_TYP });
  const options = (): jwt.SignOptions => ({
    algorithm: 'HS256',
    issuer: TOKEN_ISSUER,
    audience: ACCESS_AUDIENCE,
    subject: userId,
    expiresIn: 600,
  });

  beforeAll(async () => {
    server = await startTestServer({ JWT_SECRET: SECRET });
    const user = await registerUser(server.url);
    userId = user.user.id;
    valid = user.accessToken;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('accepts a token signed like the server does (the forgeries below differ in one thing)', async () => {
    const token = jwt.sign(claims(), deriveKey(SECRET, 'access'), options());
    expect((await me(token)).status).toBe(200);
    expect((await me(valid)).status).toBe(200);
  });

  it('answers 401 unauthorized without a token and invalid_token for a non-bearer header', async () => {
    const none = await requestJson(`${server.url}/api/me`);
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ error: { code: 'unauthorized', message: 'Sign in to continue.' } });
    const basic = await requestJson<{ error: { code: string } }>(`${server.url}/api/me`, {
      headers: { authorization: 'Basic dXNlcjpwYXNz' },
    });
    expect(basic.status).toBe(401);
    expect(basic.body.error.code).toBe('invalid_token');
  });

  it('rejects a forged signature', async () => {
    const token = jwt.sign(
      claims(),
      deriveKey(randomBytes(32).toString('hex'), 'access'),
      options(),
    );
    const res = await me(token);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({
      error: { code: 'invalid_token', message: 'Your session is not valid. Sign in again.' },
    });
  });

  it('rejects an expired token with token_expired', async () => {
    const past = Math.floor(Date.now() / 1000) - 3600;
    const token = jwt.sign(
      { ...claims(), iat: past - 900, exp: past },
      deriveKey(SECRET, 'access'),
      {
        algorithm: 'HS256',
        issuer: TOKEN_ISSUER,
        audience: ACCESS_AUDIENCE,
        subject: userId,
      },
    );
    const res = await me(token);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('token_expired');
  });

  it('rejects a tampered payload', async () => {
    const [header, payload, signature] = valid.split('.');
    const decoded = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as Record<
      string,
      unknown
    >;
    decoded.sub = '0123456789abcdef01234567';
    const forged = `${header}.${Buffer.from(JSON.stringify(decoded)).toString('base64url')}.${signature}`;
    const res = await me(forged);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('invalid_token');
  });

  it('rejects alg: none', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const payload = Buffer.from(
      JSON.stringify({
        typ: ACCESS_TYP,
        sub: userId,
        iss: TOKEN_ISSUER,
        aud: ACCESS_AUDIENCE,
        iat: now,
        exp: now + 600,
      }),
    ).toString('base64url');
    for (const token of [`${header}.${payload}.`, `${header}.${payload}`]) {
      const res = await me(token);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('invalid_token');
    }
  });

  it('rejects an exchange-kind token used as an access token', async () => {
    const token = jwt.sign(claims(), deriveKey(SECRET, 'exchange'), options());
    const res = await me(token);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('invalid_token');
  });

  it('rejects the right key with the wrong audience, issuer or typ', async () => {
    const key = deriveKey(SECRET, 'access');
    const variants = [
      jwt.sign(claims(), key, { ...options(), audience: 'coopetition:exchange' }),
      jwt.sign(claims(), key, { ...options(), issuer: 'someone-else' }),
      jwt.sign({ typ: 'exchange' }, key, options()),
      jwt.sign(claims(), key, { ...options(), algorithm: 'HS512' }),
    ];
    for (const token of variants) {
      const res = await me(token);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('invalid_token');
    }
  });

  it('answers 401 once the account is gone, and PUT /api/me/card cannot resurrect it', async () => {
    const ghost = await registerUser(server.url);
    await UserModel.deleteOne({ _id: ghost.user.id });
    await CardModel.deleteOne({ userId: ghost.user.id });
    const res = await me(ghost.accessToken);
    expect(res.status).toBe(401);
    const put = await requestJson(`${server.url}/api/me/card`, {
      method: 'PUT',
      headers: ghost.headers,
      body: { fullName: 'Ghost' },
    });
    expect(put.status).toBe(401);
    expect(await CardModel.countDocuments({ userId: ghost.user.id })).toBe(0);
  });
});

describe('verified access tokens are remembered, never past their expiry or across secrets', () => {
  const USER = '0123456789abcdef01234567';

  it('accepts a remembered token until its expiry second, then answers token_expired', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(new Date('2026-06-01T10:00:00.250Z'));
      const deps = { jwtSecret: randomBytes(32).toString('base64url') };
      const { token, expiresAt } = signAccessToken(deps, USER);
      const first = verifyAccessTokenDetailed(deps, token);
      expect(first).toEqual({ userId: USER, expiresAtMs: expiresAt.getTime() });
      // A caller changing its copy does not change what the next request gets.
      first.userId = 'changed';
      vi.setSystemTime(expiresAt.getTime() - 1);
      expect(verifyAccessTokenDetailed(deps, token).userId).toBe(USER);
      vi.setSystemTime(expiresAt);
      expect(() => verifyAccessTokenDetailed(deps, token)).toThrow(
        expect.objectContaining({ status: 401, code: 'token_expired' }),
      );
    } finally {
      vi.useRealTimers();
    }
  });

  it('does not accept a token remembered under one secret on a server with another', () => {
    const a = { jwtSecret: randomBytes(32).toString('base64url') };
    const b = { jwtSecret: randomBytes(32).toString('base64url') };
    const { token } = signAccessToken(a, USER);
    expect(verifyAccessTokenDetailed(a, token).userId).toBe(USER);
    expect(() => verifyAccessTokenDetailed(b, token)).toThrow(
      expect.objectContaining({ status: 401, code: 'invalid_token' }),
    );
    // And a token one character off its remembered text is checked in full.
    const tampered = `${token.slice(0, -2)}${token.at(-2) === 'A' ? 'B' : 'A'}${token.slice(-1)}`;
    expect(() => verifyAccessTokenDetailed(a, tampered)).toThrow(
      expect.objectContaining({ code: 'invalid_token' }),
    );
  });
});
