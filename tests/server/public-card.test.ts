import { randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublicCardResponse } from '../../shared/exchange';
import { deriveKey } from '../../server/src/features/auth/keys';
import { requestJson } from '../helpers/http';
import { startTestServer, type TestServer } from '../helpers/server';
import { exchangeCode, exchangeWorld, writeCounts, type ExchangeWorld } from './exchange.fixtures';

const SECRET = randomBytes(32).toString('base64url');

describe('public card: GET /api/x/:token without an account', () => {
  let server: TestServer;
  let world: ExchangeWorld;

  beforeAll(async () => {
    server = await startTestServer({ JWT_SECRET: SECRET });
    world = await exchangeWorld(server);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('shows the visible fields of the card, the event and when the code expires', async () => {
    const code = await exchangeCode(server, world.bob, world.event.id);
    const before = await writeCounts();
    const res = await requestJson<PublicCardResponse>(`${server.url}/api/x/${code.token}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      card: { fullName: 'Bob Martin', title: 'CTO', company: 'BigCorp' },
      event: { id: world.event.id, name: world.event.name, joinCode: world.event.joinCode },
      expiresAt: code.expiresAt,
    });
    expect(await writeCounts()).toEqual(before);
  });

  it('keeps accents exactly', async () => {
    const code = await exchangeCode(server, world.alice, world.event.id);
    const res = await requestJson<PublicCardResponse>(`${server.url}/api/x/${code.token}`);
    expect(res.body.card.fullName).toBe('Éloïse Müller-Ørsted');
    expect(res.body.card.company).toBe('Açaí Robotics');
  });

  it('refuses forged, tampered, alg:none, access and short codes with 404 code_invalid', async () => {
    const exp = Math.floor(Date.now() / 1000) + 60;
    const claims = { sub: world.bob.user.id, evt: world.event.id, typ: 'xc', aud: 'xc', exp };
    const forged = jwt.sign(claims, deriveKey(randomBytes(16).toString('hex'), 'exchange'), {
      noTimestamp: true,
    });
    const good = (await exchangeCode(server, world.bob, world.event.id)).token;
    const [h, p, s] = good.split('.');
    const tampered = `${h}.${p}x.${s}`;
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${p}.`;
    const hs512 = jwt.sign(claims, deriveKey(SECRET, 'exchange'), {
      noTimestamp: true,
      header: { alg: 'HS512', typ: 'JWT' },
      algorithm: 'HS512',
    });
    for (const token of [
      forged,
      tampered,
      none,
      hs512,
      world.bob.accessToken,
      'ABCDEF',
      'not-a-token',
    ]) {
      const res = await requestJson(`${server.url}/api/x/${encodeURIComponent(token)}`);
      expect(res.status, token).toBe(404);
      expect(res.body).toMatchObject({ error: { code: 'code_invalid' } });
    }
  });

  it('an expired code → 410 code_expired', async () => {
    const exp = Math.floor(Date.now() / 1000) - 1;
    const expired = jwt.sign(
      { sub: world.bob.user.id, evt: world.event.id, typ: 'xc', aud: 'xc', exp },
      deriveKey(SECRET, 'exchange'),
      { noTimestamp: true },
    );
    const res = await requestJson(`${server.url}/api/x/${expired}`);
    expect(res.status).toBe(410);
    expect(res.body).toMatchObject({ error: { code: 'code_expired' } });
  });

  it('is rate limited per address', async () => {
    const code = await exchangeCode(server, world.alice, world.event.id);
    const statuses: number[] = [];
    for (let i = 0; i < 70; i += 1) {
      statuses.push((await fetch(`${server.url}/api/x/${code.token}`)).status);
    }
    expect(statuses).toContain(429);
    const last = await requestJson(`${server.url}/api/x/${code.token}`);
    expect(last.status).toBe(429);
    expect(last.body).toMatchObject({ error: { code: 'rate_limited' } });
    expect(last.headers.get('retry-after')).toMatch(/^\d+$/);
  });
});
