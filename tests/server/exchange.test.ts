import { randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BadgeCodeResponse } from '../../shared/exchange';
import { SHORT_CODE_PATTERN } from '../../shared/exchange';
import { deriveKey } from '../../server/src/features/auth/keys';
import { ShortCodeModel } from '../../server/src/features/exchange/exchange.model';
import { registerUser } from '../helpers/accounts';
import { requestJson } from '../helpers/http';
import { startTestServer, type TestServer } from '../helpers/server';
import {
  exchangeCode,
  exchangeWorld,
  scan,
  writeCounts,
  type ExchangeWorld,
} from './exchange.fixtures';

const PUBLIC_URL = 'https://coop.example.org';
const SECRET = randomBytes(32).toString('base64url');

describe('exchange codes and badge codes', () => {
  let server: TestServer;
  let world: ExchangeWorld;

  beforeAll(async () => {
    server = await startTestServer({ PUBLIC_URL, JWT_SECRET: SECRET });
    world = await exchangeWorld(server);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('issues a short-lived signed token, its public URL and a 6-character short code', async () => {
    const before = Date.now();
    const res = await requestJson(`${server.url}/api/events/${world.event.id}/exchange-code`, {
      headers: world.bob.headers,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const code = res.body as { token: string; url: string; shortCode: string; expiresAt: string };
    expect(Object.keys(code).sort()).toEqual(['expiresAt', 'shortCode', 'token', 'url']);
    expect(code.url).toBe(`${PUBLIC_URL}/x/${code.token}`);
    expect(code.shortCode).toMatch(SHORT_CODE_PATTERN);
    expect(code.shortCode).not.toMatch(/[01OIL]/);
    const after = Date.now();
    expect(Date.parse(code.expiresAt) - before).toBeGreaterThan(110_000);
    expect(Date.parse(code.expiresAt) - after).toBeLessThanOrEqual(120_000);

    // Compact, so the QR stays low density: kind 1 | Bob | the event | expiry | the name on
    // his card (for the scanner to show at once) | 16-byte MAC.
    const bytes = Buffer.from(code.token, 'base64url');
    expect(bytes[0]).toBe(1);
    expect(bytes.toString('hex', 1, 13)).toBe(world.bob.user.id);
    expect(bytes.toString('hex', 13, 25)).toBe(world.event.id);
    expect(bytes.readUInt32BE(25)).toBe(Date.parse(code.expiresAt) / 1000);
    expect(bytes.subarray(30, 30 + (bytes[29] ?? 0)).toString('utf8')).toBe('Bob Martin');
    expect(bytes.length).toBe(30 + 'Bob Martin'.length + 16);
    // 56 bytes: 75 characters; with this URL, a version-6 QR (41×41 modules).
    expect(code.token).toMatch(/^[A-Za-z0-9_-]{75}$/);

    const row = await ShortCodeModel.findOne({ shortCode: code.shortCode }).lean();
    expect(String(row?.userId)).toBe(world.bob.user.id);
    expect(String(row?.eventId)).toBe(world.event.id);
    // Kept 24 h after expiry for late offline scans, then removed by the TTL index.
    expect(row!.purgeAt.getTime() - row!.expiresAt.getTime()).toBe(24 * 3600_000);
  });

  it('each request gives a fresh code; all stay usable until they expire', async () => {
    const a = await exchangeCode(server, world.bob, world.event.id);
    const b = await exchangeCode(server, world.bob, world.event.id);
    expect(a.shortCode).not.toBe(b.shortCode);
  });

  it('refuses non-members, unknown and malformed event ids with 404, writing nothing', async () => {
    const outsider = await registerUser(server.url);
    const before = await writeCounts();
    for (const [user, eventId] of [
      [outsider, world.event.id],
      [world.alice, '0123456789abcdef01234567'],
      [world.alice, 'nope'],
    ] as const) {
      for (const path of ['exchange-code', 'badge-code']) {
        const res = await requestJson(`${server.url}/api/events/${eventId}/${path}`, {
          headers: user.headers,
        });
        expect(res.status).toBe(404);
        expect(res.body).toMatchObject({ error: { code: 'event_not_found' } });
      }
      const rotate = await requestJson(`${server.url}/api/events/${eventId}/badge-code/rotate`, {
        method: 'POST',
        headers: user.headers,
      });
      expect(rotate.status).toBe(404);
    }
    const anonymous = await requestJson(`${server.url}/api/events/${world.event.id}/exchange-code`);
    expect(anonymous.status).toBe(401);
    expect(await writeCounts()).toEqual(before);
  });

  it('a badge code works until it is rotated, then stops at once', async () => {
    const badgeUrl = `${server.url}/api/events/${world.event.id}/badge-code`;
    const first = await requestJson<BadgeCodeResponse>(badgeUrl, { headers: world.bob.headers });
    expect(first.status).toBe(200);
    expect(first.body.url).toBe(`${PUBLIC_URL}/x/${first.body.token}`);
    // Compact (kind 2 | Bob | the event | badge version | name | MAC): the URL fits the
    // smallest NFC stickers (NTAG213, 137 bytes) with room to spare.
    const bytes = Buffer.from(first.body.token, 'base64url');
    expect([bytes[0], bytes.toString('hex', 1, 13), bytes.readUInt32BE(25)]).toEqual([
      2,
      world.bob.user.id,
      1,
    ]);
    expect(bytes.subarray(30, 30 + (bytes[29] ?? 0)).toString('utf8')).toBe('Bob Martin');
    expect(new TextEncoder().encode(first.body.url).length).toBeLessThanOrEqual(120);
    // A badge printed before codes were compact (a JWT) still works at the same version.
    const printed = jwt.sign(
      { sub: world.bob.user.id, evt: world.event.id, v: 1, typ: 'bd', aud: 'bd' },
      deriveKey(SECRET, 'badge'),
      { algorithm: 'HS256', noTimestamp: true },
    );
    const again = await requestJson<BadgeCodeResponse>(badgeUrl, { headers: world.bob.headers });
    expect(again.body.token).toBe(first.body.token);

    const viaNfc = await scan(server, world.alice, world.event.id, {
      code: first.body.url,
      method: 'nfc',
    });
    expect(viaNfc.status).toBe(201);
    const viaPrinted = await scan(server, world.organizer, world.event.id, {
      code: `${PUBLIC_URL}/x/${printed}`,
      method: 'nfc',
    });
    expect(viaPrinted.status).toBe(201);

    const rotated = await requestJson<BadgeCodeResponse>(`${badgeUrl}/rotate`, {
      method: 'POST',
      headers: world.bob.headers,
    });
    expect(rotated.status).toBe(200);
    expect(rotated.body.token).not.toBe(first.body.token);
    const current = await requestJson<BadgeCodeResponse>(badgeUrl, { headers: world.bob.headers });
    expect(current.body.token).toBe(rotated.body.token);

    const before = await writeCounts();
    for (const code of [first.body.token, printed]) {
      const old = await scan(server, world.alice, world.event.id, { code, method: 'nfc' });
      expect(old.status).toBe(404);
      expect(old.body).toMatchObject({ error: { code: 'code_invalid' } });
    }
    const oldPublic = await requestJson(`${server.url}/api/x/${first.body.token}`);
    expect(oldPublic.status).toBe(404);
    expect(await writeCounts()).toEqual(before);

    const fresh = await scan(server, world.alice, world.event.id, {
      code: rotated.body.token,
      method: 'nfc',
    });
    expect(fresh.status).toBe(200);
    expect(fresh.body.handshake.scanCount).toBe(2);
  });

  it('a badge code is never an access token', async () => {
    const badge = await requestJson<BadgeCodeResponse>(
      `${server.url}/api/events/${world.event.id}/badge-code`,
      { headers: world.alice.headers },
    );
    const res = await requestJson(`${server.url}/api/me`, {
      headers: { authorization: `Bearer ${badge.body.token}` },
    });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: { code: 'invalid_token' } });
  });
});
