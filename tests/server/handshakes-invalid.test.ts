import { createHmac, randomBytes, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deriveKey } from '../../server/src/features/auth/keys';
import { ShortCodeModel } from '../../server/src/features/exchange/exchange.model';
import { verifyCodeToken } from '../../server/src/features/exchange/exchange.tokens';
import { joinTestEvent, registerUser, type TestUser } from '../helpers/accounts';
import { requestJson } from '../helpers/http';
import { startTestServer, type TestServer } from '../helpers/server';
import {
  exchangeCode,
  exchangeWorld,
  rawScan,
  scan,
  writeCounts,
  type ExchangeWorld,
} from './exchange.fixtures';

const SECRET = randomBytes(32).toString('base64url');
const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * A code in the server's compact form (written here from its description, not with the
 * server's signer): kind | user id | event id | uint32 | name length | name | HMAC-SHA256
 * of all that, first 16 bytes.
 */
function compactCode(
  userId: string,
  eventId: string,
  value: number,
  {
    kind = 1,
    key = deriveKey(SECRET, 'exchange'),
    name = '',
  }: { kind?: number; key?: KeyObject; name?: string } = {},
): string {
  const nameBytes = Buffer.from(name, 'utf8');
  const signed = Buffer.concat([
    Buffer.from([kind]),
    Buffer.from(userId, 'hex'),
    Buffer.from(eventId, 'hex'),
    Buffer.from([value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255]),
    Buffer.from([nameBytes.length]),
    nameBytes,
  ]);
  const mac = createHmac('sha256', key).update(signed).digest().subarray(0, 16);
  return Buffer.concat([signed, mac]).toString('base64url');
}

/** An exchange code as the server issues it, expiring at `exp` (Unix seconds). */
function exchangeToken(
  userId: string,
  eventId: string,
  exp: number,
  key = deriveKey(SECRET, 'exchange'),
): string {
  return compactCode(userId, eventId, exp, { key });
}

/** An exchange code as the server issued it before the compact form: a short JWT. */
function legacyExchangeToken(
  userId: string,
  eventId: string,
  exp: number,
  key = deriveKey(SECRET, 'exchange'),
): string {
  return jwt.sign({ sub: userId, evt: eventId, typ: 'xc', aud: 'xc', exp }, key, {
    algorithm: 'HS256',
    noTimestamp: true,
  });
}

/** `code` with byte `at` of its decoded form changed. */
function flipByte(code: string, at: number): string {
  const bytes = Buffer.from(code, 'base64url');
  bytes[at] = (bytes[at] ?? 0) ^ 0x01;
  return bytes.toString('base64url');
}

function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('handshakes: every bad input is refused and writes nothing', () => {
  let server: TestServer;
  let world: ExchangeWorld;
  let outsider: TestUser;
  let before: Record<string, number>;

  beforeAll(async () => {
    server = await startTestServer({ JWT_SECRET: SECRET });
    world = await exchangeWorld(server);
    outsider = await registerUser(server.url, { name: 'Oscar Outsider' });
  });
  beforeEach(async () => {
    before = await writeCounts();
  });
  afterAll(async () => {
    await server?.close();
  });

  async function expectRefused(
    res: { status: number; body: unknown },
    status: number,
    code: string,
  ): Promise<void> {
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject({ error: { code } });
    expect(await writeCounts()).toEqual(before);
  }

  const validToken = () => exchangeToken(world.bob.user.id, world.event.id, nowSeconds() + 60);

  it('malformed JSON', async () => {
    const res = await rawScan(server, world.alice, world.event.id, '{"code": "abc",');
    await expectRefused(res, 400, 'malformed_json');
  });

  it.each([
    ['no body fields', {}],
    ['code as a number', { code: 42, method: 'qr' }],
    ['unknown method', { code: 'ABCDEF', method: 'bluetooth' }],
    ['scannedAt not a date', { code: 'ABCDEF', method: 'qr', scannedAt: 'yesterday' }],
    ['clientRef with spaces', { code: 'ABCDEF', method: 'qr', clientRef: 'a b' }],
    ['an extra field', { code: 'ABCDEF', method: 'qr', userId: 'x' }],
    ['$gt in code', { code: { $gt: '' }, method: 'qr' }],
    ['$ne in method', { code: 'ABCDEF', method: { $ne: null } }],
    ['$ne in clientRef', { code: 'ABCDEF', method: 'qr', clientRef: { $ne: 'x' } }],
    ['$where at the top', { code: 'ABCDEF', method: 'qr', $where: 'sleep(1000)' }],
    ['an array body', [{ code: 'ABCDEF', method: 'qr' }]],
  ])('wrong shape: %s → 400 validation_failed', async (_label, body) => {
    const res = await scan(server, world.alice, world.event.id, body);
    await expectRefused(res, 400, 'validation_failed');
  });

  it('an Idempotency-Key header that is not printable ASCII → 400', async () => {
    const res = await scan(
      server,
      world.alice,
      world.event.id,
      { code: validToken(), method: 'qr' },
      { 'Idempotency-Key': 'has space' },
    );
    await expectRefused(res, 400, 'validation_failed');
  });

  it('without a session → 401', async () => {
    const res = await requestJson(`${server.url}/api/events/${world.event.id}/handshakes`, {
      method: 'POST',
      body: { code: validToken(), method: 'qr' },
    });
    await expectRefused(res, 401, 'unauthorized');
  });

  it.each([
    ['compact', exchangeToken],
    ['JWT', legacyExchangeToken],
  ])('a forged signature (%s) → 404 code_invalid', async (_form, sign) => {
    const forged = sign(
      world.bob.user.id,
      world.event.id,
      nowSeconds() + 60,
      deriveKey(randomBytes(32).toString('base64url'), 'exchange'),
    );
    const res = await scan(server, world.alice, world.event.id, { code: forged, method: 'qr' });
    await expectRefused(res, 404, 'code_invalid');
  });

  it('a tampered compact code (user, event, expiry, kind or MAC changed) → 404 code_invalid', async () => {
    const valid = compactCode(world.bob.user.id, world.event.id, nowSeconds() + 60, {
      name: 'Bob',
    });
    // Genuine as written (checked without scanning it: that would write a handshake).
    expect(verifyCodeToken({ jwtSecret: SECRET }, valid, Date.now())).toMatchObject({
      kind: 'exchange',
      userId: world.bob.user.id,
      eventId: world.event.id,
    });
    // Byte 0 is the kind, 1–12 the user, 13–24 the event, 25–28 the expiry, 29 the name's
    // length, 30–32 the name, 33–48 the MAC.
    for (const at of [0, 5, 20, 27, 29, 31, 40]) {
      const res = await scan(server, world.alice, world.event.id, {
        code: flipByte(valid, at),
        method: 'qr',
      });
      await expectRefused(res, 404, 'code_invalid');
    }
    // Signed as a badge (kind 2) with the exchange key, or as an exchange code with the
    // badge key: each kind verifies under its own key only.
    const asBadge = compactCode(world.bob.user.id, world.event.id, 1, { kind: 2 });
    const badgeKey = compactCode(world.bob.user.id, world.event.id, nowSeconds() + 60, {
      key: deriveKey(SECRET, 'badge'),
    });
    // The same bytes spelled differently (the last character's spare bits set) are refused
    // too, so that each code has one spelling.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(valid.at(-1) ?? 'A');
    const respelled = `${valid.slice(0, -1)}${alphabet[last ^ 1]}`;
    expect(Buffer.from(respelled, 'base64url')).toEqual(Buffer.from(valid, 'base64url'));
    for (const code of [asBadge, badgeKey, valid.slice(0, -4), 'A'.repeat(64), respelled]) {
      const res = await scan(server, world.alice, world.event.id, { code, method: 'qr' });
      await expectRefused(res, 404, 'code_invalid');
    }
  });

  it('accepts a code issued as a JWT before the compact form', async () => {
    const carla = await registerUser(server.url, { name: 'Carla Legacy' });
    await joinTestEvent(server.url, carla, world.event.joinCode);
    const legacy = legacyExchangeToken(world.bob.user.id, world.event.id, nowSeconds() + 60);
    const res = await scan(server, carla, world.event.id, { code: legacy, method: 'qr' });
    expect(res.status).toBe(201);
    const expired = legacyExchangeToken(world.bob.user.id, world.event.id, nowSeconds() - 5);
    before = await writeCounts();
    const late = await scan(server, world.alice, world.event.id, { code: expired, method: 'qr' });
    await expectRefused(late, 410, 'code_expired');
  });

  it('a tampered JWT payload (someone else as subject) → 404 code_invalid', async () => {
    const [header, , signature] = legacyExchangeToken(
      world.bob.user.id,
      world.event.id,
      nowSeconds() + 60,
    ).split('.');
    const payload = b64({
      sub: world.organizer.user.id,
      evt: world.event.id,
      typ: 'xc',
      aud: 'xc',
      exp: nowSeconds() + 60,
    });
    const res = await scan(server, world.alice, world.event.id, {
      code: `${header}.${payload}.${signature}`,
      method: 'qr',
    });
    await expectRefused(res, 404, 'code_invalid');
  });

  it('a JWT with alg:none → 404 code_invalid', async () => {
    const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({
      sub: world.bob.user.id,
      evt: world.event.id,
      typ: 'xc',
      aud: 'xc',
      exp: nowSeconds() + 60,
    })}.`;
    const res = await scan(server, world.alice, world.event.id, { code: none, method: 'qr' });
    await expectRefused(res, 404, 'code_invalid');
    const res2 = await scan(server, world.alice, world.event.id, {
      code: `${none}x`,
      method: 'qr',
    });
    await expectRefused(res2, 404, 'code_invalid');
  });

  it('an expired code → 410 code_expired', async () => {
    const expired = exchangeToken(world.bob.user.id, world.event.id, nowSeconds() - 5);
    const res = await scan(server, world.alice, world.event.id, { code: expired, method: 'qr' });
    await expectRefused(res, 410, 'code_expired');
  });

  it('an access token used as an exchange code → 404 code_invalid', async () => {
    const res = await scan(server, world.alice, world.event.id, {
      code: world.bob.accessToken,
      method: 'qr',
    });
    await expectRefused(res, 404, 'code_invalid');
    // Even relabelled with the exchange typ, the access key does not verify here.
    const relabelled = legacyExchangeToken(
      world.bob.user.id,
      world.event.id,
      nowSeconds() + 60,
      deriveKey(SECRET, 'access'),
    );
    const res2 = await scan(server, world.alice, world.event.id, {
      code: relabelled,
      method: 'qr',
    });
    await expectRefused(res2, 404, 'code_invalid');
    // Nor does a compact code whose MAC was made with the access key.
    const compact = exchangeToken(
      world.bob.user.id,
      world.event.id,
      nowSeconds() + 60,
      deriveKey(SECRET, 'access'),
    );
    const res3 = await scan(server, world.alice, world.event.id, { code: compact, method: 'qr' });
    await expectRefused(res3, 404, 'code_invalid');
  });

  it('an exchange code used as an access token → 401', async () => {
    const code = await exchangeCode(server, world.bob, world.event.id);
    before = await writeCounts();
    const res = await requestJson(`${server.url}/api/me`, {
      headers: { authorization: `Bearer ${code.token}` },
    });
    await expectRefused(res, 401, 'invalid_token');
  });

  it('an unknown short code → 404 code_invalid', async () => {
    const res = await scan(server, world.alice, world.event.id, {
      code: 'ZZZZZZ',
      method: 'manual',
    });
    await expectRefused(res, 404, 'code_invalid');
  });

  it('my own code → 422 self_handshake', async () => {
    const code = await exchangeCode(server, world.alice, world.event.id);
    before = await writeCounts();
    const res = await scan(server, world.alice, world.event.id, { code: code.token, method: 'qr' });
    await expectRefused(res, 422, 'self_handshake');
    const res2 = await scan(server, world.alice, world.event.id, {
      code: code.shortCode,
      method: 'manual',
    });
    await expectRefused(res2, 422, 'self_handshake');
  });

  it('a scanner who is not a member → 404 event_not_found (scanning does not join)', async () => {
    const res = await scan(server, outsider, world.event.id, { code: validToken(), method: 'qr' });
    await expectRefused(res, 404, 'event_not_found');
  });

  it('an unknown or malformed event id → 404 event_not_found', async () => {
    const res = await scan(server, world.alice, '0123456789abcdef01234567', {
      code: validToken(),
      method: 'qr',
    });
    await expectRefused(res, 404, 'event_not_found');
    const res2 = await scan(server, world.alice, 'not-an-id', { code: validToken(), method: 'qr' });
    await expectRefused(res2, 404, 'event_not_found');
  });

  it('a code for another event → 422 code_wrong_event; its short code is unknown here', async () => {
    const other = await requestJson<{ event: { id: string } }>(`${server.url}/api/events`, {
      method: 'POST',
      headers: world.bob.headers,
      body: {
        name: 'Side event',
        startsAt: '2026-12-03T17:00:00.000Z',
        endsAt: '2026-12-03T20:00:00.000Z',
      },
    });
    const code = await exchangeCode(server, world.bob, other.body.event.id);
    before = await writeCounts();
    const res = await scan(server, world.alice, world.event.id, { code: code.token, method: 'qr' });
    await expectRefused(res, 422, 'code_wrong_event');
    const res2 = await scan(server, world.alice, world.event.id, {
      code: code.shortCode,
      method: 'manual',
    });
    await expectRefused(res2, 404, 'code_invalid');
  });

  it('scannedAt more than 2 minutes ahead → 422 scanned_at_in_future', async () => {
    const res = await scan(server, world.alice, world.event.id, {
      code: validToken(),
      method: 'qr',
      scannedAt: new Date(Date.now() + 5 * 60_000).toISOString(),
    });
    await expectRefused(res, 422, 'scanned_at_in_future');
  });

  it('a scan arriving more than 24 h late → 422 scanned_at_too_old', async () => {
    const scannedAt = Date.now() - 25 * 3600_000;
    const res = await scan(server, world.alice, world.event.id, {
      code: exchangeToken(world.bob.user.id, world.event.id, Math.floor(scannedAt / 1000) + 60),
      method: 'qr',
      scannedAt: new Date(scannedAt).toISOString(),
    });
    await expectRefused(res, 422, 'scanned_at_too_old');
  });

  it('an offline scan made after the code expired → 410 code_expired', async () => {
    const exp = nowSeconds() - 3600;
    const res = await scan(server, world.alice, world.event.id, {
      code: exchangeToken(world.bob.user.id, world.event.id, exp),
      method: 'qr',
      scannedAt: new Date((exp + 30) * 1000).toISOString(),
    });
    await expectRefused(res, 410, 'code_expired');
  });

  it('too many wrong codes from one scanner → 429 rate_limited', async () => {
    const guesser = await registerUser(server.url, { name: 'Greg Guesser' });
    await joinTestEvent(server.url, guesser, world.event.joinCode);
    before = await writeCounts();
    for (let i = 0; i < 30; i += 1) {
      const res = await scan(server, guesser, world.event.id, { code: 'ZZZZZZ', method: 'manual' });
      expect(res.status).toBe(404);
    }
    const res = await scan(server, guesser, world.event.id, { code: validToken(), method: 'qr' });
    await expectRefused(res, 429, 'rate_limited');
    expect(res.status).toBe(429);
  });
});

describe('handshakes: offline scans arriving late', () => {
  let server: TestServer;
  let world: ExchangeWorld;

  beforeAll(async () => {
    server = await startTestServer({ JWT_SECRET: SECRET });
    world = await exchangeWorld(server);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('accepts a token that was valid at scannedAt when it arrives within 24 h', async () => {
    const exp = nowSeconds() - 3 * 3600;
    const scannedAt = new Date((exp - 30) * 1000).toISOString();
    const res = await scan(server, world.alice, world.event.id, {
      code: exchangeToken(world.bob.user.id, world.event.id, exp),
      method: 'qr',
      scannedAt,
      clientRef: 'outbox-1',
    });
    expect(res.status).toBe(201);
    expect(res.body.handshake.scannedAt).toBe(scannedAt);
    expect(Date.parse(res.body.handshake.receivedAt)).toBeGreaterThan(Date.parse(scannedAt));
  });

  it('accepts an expired short code that was valid at scannedAt; refuses it as of now', async () => {
    const carol = await registerUser(server.url, { name: 'Carol Late' });
    await joinTestEvent(server.url, carol, world.event.joinCode);
    const code = await exchangeCode(server, world.bob, world.event.id);
    // Ten minutes pass: the row expired but is kept for late offline scans.
    const expiredAt = new Date(Date.now() - 10 * 60_000);
    await ShortCodeModel.updateOne({ shortCode: code.shortCode }, { expiresAt: expiredAt });
    const now = await scan(server, carol, world.event.id, {
      code: code.shortCode,
      method: 'manual',
    });
    expect(now.status).toBe(410);
    expect(now.body).toMatchObject({ error: { code: 'code_expired' } });
    const late = await scan(server, carol, world.event.id, {
      code: code.shortCode,
      method: 'manual',
      scannedAt: new Date(expiredAt.getTime() - 60_000).toISOString(),
    });
    expect(late.status).toBe(201);
    expect(late.body.handshake.otherUserId).toBe(world.bob.user.id);
  });

  it('a device clock slightly ahead (within 2 min) is accepted', async () => {
    const dan = await registerUser(server.url, { name: 'Dan Ahead' });
    await joinTestEvent(server.url, dan, world.event.joinCode);
    const code = await exchangeCode(server, world.bob, world.event.id);
    const res = await scan(server, dan, world.event.id, {
      code: code.token,
      method: 'qr',
      scannedAt: new Date(Date.now() + 90_000).toISOString(),
    });
    expect(res.status).toBe(201);
  });
});
