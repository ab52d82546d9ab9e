import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContactListResponse } from '../../shared/contacts';
import type { ExchangeCodeResponse, HandshakeResponse } from '../../shared/exchange';
import { createTestEvent, joinTestEvent, registerUser, type TestUser } from '../helpers/accounts';
import { launchBrowser, PHONE } from '../helpers/browser';
import { collectProblems, signInContext, waitForExpression } from '../helpers/e2e-session';
import { requestJson } from '../helpers/http';
import { startProductionServer, type ProductionServer } from '../helpers/production';

const SCREENSHOTS = path.resolve('tests/.artifacts/screenshots');

describe('scans without a camera and without a network', () => {
  let server: ProductionServer;
  let browser: Browser;
  let eventId: string;
  let joinCode: string;
  let carol: TestUser;
  let dan: TestUser;
  let eve: TestUser;

  const shortCodeOf = async (user: TestUser) => {
    const res = await requestJson<ExchangeCodeResponse>(
      `${server.url}/api/events/${eventId}/exchange-code`,
      { headers: user.headers },
    );
    expect(res.status).toBe(200);
    return res.body.shortCode;
  };

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    [server, browser] = await Promise.all([startProductionServer(), launchBrowser()]);
    const organizer = await registerUser(server.url, { name: 'Organizer' });
    const event = await createTestEvent(server.url, organizer);
    eventId = event.id;
    joinCode = event.joinCode;
    [carol, dan, eve] = await Promise.all([
      registerUser(server.url, { name: 'Carol Nguyễn' }),
      registerUser(server.url, { name: 'Dan Brown' }),
      registerUser(server.url, { name: 'Ève Martin' }),
    ]);
    await Promise.all(
      [carol, dan, eve].map((user) => joinTestEvent(server.url, user, event.joinCode)),
    );
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('connects by short code, keeps an offline scan across a reload and syncs it once', async () => {
    const context = await browser.newContext({ ...PHONE, locale: 'en-US' });
    await signInContext(context, server.url, carol, eventId);
    const page = await context.newPage();
    const problems = collectProblems(page);

    // A first visit to My code keeps the long-lived badge code on the phone.
    await page.goto(`${server.url}/code`);
    await page.locator('.mycode-short-code').waitFor();

    // This browser has no camera: the scanner says so and offers the short code.
    await page.goto(`${server.url}/scan`);
    await page.getByText('No camera was found on this device').waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'scanner-no-camera.png') });
    // The service worker has cached the app by now (it is what opens it offline below).
    expect(await page.evaluate('navigator.serviceWorker.ready.then(() => true)')).toBe(true);

    const codeInput = page.getByLabel('Their 6-character code');
    const danCode = await shortCodeOf(dan);
    await codeInput.fill(danCode.toLowerCase());
    await page.getByRole('button', { name: 'Connect' }).click();
    await page.locator('[data-scan-phase="synced"]').waitFor();
    await page.getByRole('heading', { name: 'Dan Brown' }).waitFor();

    // Offline: the scan is saved on the phone and said to be so.
    const eveCode = await shortCodeOf(eve);
    await page.getByRole('button', { name: /Scan next/ }).click();
    await context.setOffline(true);
    await codeInput.fill(eveCode);
    await page.getByRole('button', { name: 'Connect' }).click();
    await page.locator('[data-scan-phase="pending"]').waitFor();
    expect(await page.locator('[data-scan-phase="pending"]').textContent()).toContain(
      'Saved on this phone — will sync',
    );
    const banner = page.getByText('1 scan saved on this phone — will sync.');
    await banner.waitFor();
    await page.getByText('You are offline.').waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'offline-banner.png') });

    // Reloading while offline: the service worker opens the app, the scan is still there.
    const reloaded = await page.reload();
    expect(reloaded?.fromServiceWorker()).toBe(true);
    await banner.waitFor();

    // My code still shows a scannable code offline: the saved badge code.
    await page.goto(`${server.url}/code`);
    await page.getByText('Offline: showing your badge code').waitFor();
    await page.locator('svg.qr').waitFor();
    await page.goto(`${server.url}/scan`);
    await banner.waitFor();

    // Back online: it syncs by itself, and the count goes away.
    await context.setOffline(false);
    await banner.waitFor({ state: 'detached', timeout: 15_000 });

    // Exactly one handshake for Carol and Ève: a further real scan is counted as the second.
    const contacts = await requestJson<ContactListResponse>(`${server.url}/api/contacts`, {
      headers: carol.headers,
    });
    expect(contacts.body.items.map((c) => c.card.fullName).sort()).toEqual([
      'Dan Brown',
      'Ève Martin',
    ]);
    const again = await requestJson<HandshakeResponse>(
      `${server.url}/api/events/${eventId}/handshakes`,
      {
        method: 'POST',
        headers: carol.headers,
        body: { code: eveCode, method: 'manual', clientRef: 'e2e-rescan-1' },
      },
    );
    expect(again.status).toBe(200);
    expect(again.body.handshake.scanCount).toBe(2);

    // Typing Dan's code again (the reload brought back the scanner): the server answers
    // 200 and the screen says so.
    await codeInput.fill(danCode);
    await page.getByRole('button', { name: 'Connect' }).click();
    const rescan = page.locator('[data-scan-phase="synced"]');
    await rescan.waitFor();
    expect(await rescan.textContent()).toContain('Already connected');

    // Offline, the browser logs each refused request; nothing else may go wrong.
    expect(problems.filter((p) => !p.includes('ERR_INTERNET_DISCONNECTED'))).toEqual([]);
    await context.close();
  }, 60_000);
  it('keeps the session when the answer to a token refresh is lost on the way', async () => {
    const fay = await registerUser(server.url, { name: 'Fay Lost-Answer' });
    await joinTestEvent(server.url, fay, joinCode);
    const context = await browser.newContext({
      ...PHONE,
      locale: 'en-US',
      serviceWorkers: 'block',
    });
    await signInContext(context, server.url, fay, eventId);
    const page = await context.newPage();
    await page.goto(`${server.url}/code`);
    await page.locator('.mycode-short-code').waitFor();

    // The next refresh reaches the server, which rotates the cookie, but its answer (and
    // the new cookie) never reaches the phone, as on a venue's wifi.
    // (Playwright's own fetch stores the new cookie in the browser: it is put back.)
    const held = await context.cookies(`${server.url}/api/auth`);
    let answered = 0;
    await context.route('**/api/auth/refresh', async (route) => {
      const response = await route.fetch();
      answered += response.status() === 200 ? 1 : 0;
      await context.addCookies(held);
      await route.abort('connectionreset');
    });
    await page.reload();
    await page.locator('.mycode-panel').waitFor();
    expect(answered).toBeGreaterThanOrEqual(1);
    expect(await page.evaluate("localStorage.getItem('coopetition.refreshKey')")).toBeTruthy();

    // The network is back: the app retries with the old cookie and the same key, and the
    // server recognises the retry instead of ending the session as a replay.
    await context.unroute('**/api/auth/refresh');
    const retried = page.waitForResponse((r) => r.url().endsWith('/api/auth/refresh'));
    await page.evaluate("window.dispatchEvent(new Event('online'))");
    expect((await retried).status()).toBe(200);
    await waitForExpression(page, "localStorage.getItem('coopetition.refreshKey') === null");

    // Still signed in after a reload, with the cookie the retry set.
    const resumed = page.waitForResponse((r) => r.url().endsWith('/api/auth/refresh'));
    await page.reload();
    expect((await resumed).status()).toBe(200);
    await page.locator('.mycode-short-code').waitFor();
    await context.close();
  }, 60_000);
});
