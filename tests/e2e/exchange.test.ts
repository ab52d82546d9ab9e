import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExchangeCodeResponse } from '../../shared/exchange';
import { createTestEvent, joinTestEvent, registerUser, type TestUser } from '../helpers/accounts';
import { launchBrowser, PHONE } from '../helpers/browser';
import { collectProblems, signInContext, waitForExpression } from '../helpers/e2e-session';
import { requestJson } from '../helpers/http';
import { startProductionServer, type ProductionServer } from '../helpers/production';
import { writeQrVideo } from '../helpers/qr-video';

const SCREENSHOTS = path.resolve('tests/.artifacts/screenshots');

interface VcfCard {
  get(key: string): { valueOf(): string } | undefined;
}
const vcf = createRequire(import.meta.url)('vcf') as { parse(text: string): VcfCard[] };

/**
 * Installed in Alice's page before it loads: marks the moment a frame with a QR code is first
 * seen (its white quiet zone appears in the middle of a dim picture) and the moment the
 * handshake is confirmed on screen, both on the page's own clock. The camera frame is looked
 * at on every presented frame and also just before the app itself grabs a frame to decode
 * (the canvas draw of the fallback decoder, or the native detector), so the app can never
 * decode a frame this clock has not seen, however the two race on a slow machine.
 * Plain script text: this project's test type-check has no DOM library.
 */
const SCAN_CLOCK = `(() => {
  const marks = { qrAt: 0, detectedAt: 0, confirmedAt: 0 };
  window.scanClock = marks;
  // The frame is read pixel for pixel (a scaled-down copy would average the modules to grey).
  const probe = document.createElement('canvas');
  const ctx = probe.getContext('2d', { willReadFrequently: true });
  const drawImage = CanvasRenderingContext2D.prototype.drawImage;
  const look = (video) => {
    if (marks.qrAt || !(video instanceof HTMLVideoElement) || video.readyState < 2) return;
    const { videoWidth: w, videoHeight: h } = video;
    if (!w || !h) return;
    if (probe.width !== w) probe.width = w;
    if (probe.height !== h) probe.height = h;
    drawImage.call(ctx, video, 0, 0, w, h);
    const { data } = ctx.getImageData(w >> 2, h >> 2, w >> 1, h >> 1);
    let bright = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] > 180) bright += 1;
    if (bright * 100 > data.length / 4) marks.qrAt = performance.now();
  };
  CanvasRenderingContext2D.prototype.drawImage = function (source, ...rest) {
    if (this !== ctx) look(source);
    return drawImage.call(this, source, ...rest);
  };
  if (window.BarcodeDetector) {
    const detect = window.BarcodeDetector.prototype.detect;
    window.BarcodeDetector.prototype.detect = function (source) {
      look(source);
      return detect.call(this, source);
    };
  }
  let watched = null;
  const watch = (video) => {
    watched = video;
    const onFrame = () => {
      look(video);
      if (!marks.qrAt && video.isConnected) video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
  };
  new MutationObserver((_records, observer) => {
    const video = document.querySelector('video');
    if (video && video !== watched && !marks.qrAt) watch(video);
    if (!marks.detectedAt && document.querySelector('[data-scan-phase]')) {
      marks.detectedAt = performance.now();
    }
    if (document.querySelector('[data-scan-phase="synced"]')) {
      marks.confirmedAt = performance.now();
      observer.disconnect();
    }
  }).observe(document, { subtree: true, childList: true, attributes: true });
})()`;

describe('exchange: Alice scans Bob for real', () => {
  let server: ProductionServer;
  let browser: Browser;
  let aliceBrowser: Browser | undefined;
  let workDir: string;
  let eventId: string;
  let alice: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    workDir = mkdtempSync(path.join(tmpdir(), 'coopetition-e2e-'));
    [server, browser] = await Promise.all([startProductionServer(), launchBrowser()]);
    const organizer = await registerUser(server.url, { name: 'Organizer' });
    const event = await createTestEvent(server.url, organizer);
    eventId = event.id;
    [alice, bob] = await Promise.all([
      registerUser(server.url, { name: 'Alice Dupont-Lefèvre' }),
      registerUser(server.url, { name: 'Bob O’Neil' }),
    ]);
    await Promise.all([
      joinTestEvent(server.url, alice, event.joinCode),
      joinTestEvent(server.url, bob, event.joinCode),
    ]);
  });

  afterAll(async () => {
    await aliceBrowser?.close();
    await browser?.close();
    await server?.stop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('scans a QR from the camera, reports the latency, tags both ways and exports', async () => {
    // Bob shows his code.
    const bobContext = await browser.newContext({ ...PHONE, locale: 'en-US' });
    await signInContext(bobContext, server.url, bob, eventId);
    const bobPage = await bobContext.newPage();
    const bobProblems = collectProblems(bobPage);
    await bobPage.goto(`${server.url}/code`);
    await bobPage.locator('svg.qr').waitFor();
    await bobPage.locator('.mycode-short-code').waitFor();
    await bobPage.screenshot({ path: path.join(SCREENSHOTS, 'mycode.png') });

    // The QR Alice's camera will see: Bob's exchange URL, drawn by the app's own encoder.
    const code = await requestJson<ExchangeCodeResponse>(
      `${server.url}/api/events/${eventId}/exchange-code`,
      { headers: bob.headers },
    );
    expect(code.status).toBe(200);
    const video = writeQrVideo({ text: code.body.url, file: path.join(workDir, 'bob-qr.y4m') });
    aliceBrowser = await launchBrowser([
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      `--use-file-for-fake-video-capture=${video.file}`,
    ]);

    const aliceContext = await aliceBrowser.newContext({ ...PHONE, locale: 'en-US' });
    await aliceContext.grantPermissions(['camera'], { origin: server.url });
    await signInContext(aliceContext, server.url, alice, eventId);
    await aliceContext.addInitScript({ content: SCAN_CLOCK });
    const alicePage = await aliceContext.newPage();
    const aliceProblems = collectProblems(alicePage);
    await alicePage.goto(`${server.url}/scan`);
    await waitForExpression(alicePage, "(document.querySelector('video')?.readyState ?? 0) >= 2");
    await alicePage.screenshot({ path: path.join(SCREENSHOTS, 'scanner.png') });

    // Alice's scanner reads Bob's QR from the camera feed and confirms.
    const status = alicePage.locator('[data-scan-phase="synced"]');
    await status.waitFor({ timeout: 15_000 });
    expect(await status.textContent()).toContain('Connected');
    await alicePage.getByRole('heading', { name: 'Bob O’Neil' }).waitFor();
    const clock = (await alicePage.evaluate('window.scanClock')) as {
      qrAt: number;
      detectedAt: number;
      confirmedAt: number;
    };
    expect(clock.qrAt).toBeGreaterThan(0);
    const latencyMs = clock.confirmedAt - clock.qrAt;
    console.log(
      `QR in camera feed → handshake confirmed on screen: ${latencyMs.toFixed(0)} ms ` +
        `(decoded after ${(clock.detectedAt - clock.qrAt).toFixed(0)} ms, ` +
        `server confirmed ${(clock.confirmedAt - clock.detectedAt).toFixed(0)} ms later)`,
    );
    expect(latencyMs).toBeGreaterThan(0);

    // Bob is told live, and tags Alice co-operation from the toast.
    const toast = bobPage.getByText('Alice Dupont-Lefèvre connected with you');
    await toast.waitFor({ timeout: 10_000 });
    await alicePage.screenshot({ path: path.join(SCREENSHOTS, 'after-scan.png') });

    // Alice tags Bob co-operation right on the after-scan screen.
    await alicePage.getByRole('button', { name: /Co-operation/ }).click();
    await bobPage
      .locator('.toast')
      .getByRole('button', { name: /Co-operation/ })
      .click();

    // Both see the match.
    await alicePage.getByText('It’s a match with Bob O’Neil!').waitFor({ timeout: 10_000 });
    await bobPage.getByText('It’s a match with Alice Dupont-Lefèvre!').waitFor({ timeout: 10_000 });

    // "Scan next" goes back to the camera; the same QR still in view is not scanned twice.
    await alicePage.getByRole('button', { name: /Scan next/ }).click();
    await alicePage.locator('video').waitFor();

    // Offline, the QR (still looping in the camera) is read again once the quiet time has
    // passed: saved on the phone, and Bob is named at once from what his code carries.
    await aliceContext.setOffline(true);
    const pending = alicePage.locator('[data-scan-phase="pending"]');
    await pending.waitFor({ timeout: 20_000 });
    await alicePage.locator('.scan-result').getByRole('heading', { name: 'Bob O’Neil' }).waitFor();
    await alicePage.screenshot({ path: path.join(SCREENSHOTS, 'scan-offline-named.png') });
    // Back online, it syncs on its own: the same handshake, counted again.
    await aliceContext.setOffline(false);
    const again = alicePage.locator('[data-scan-phase="synced"]');
    await again.waitFor({ timeout: 15_000 });
    expect(await again.textContent()).toContain('Already connected');
    await alicePage.getByRole('button', { name: /Scan next/ }).click();

    // Alice exports her contacts as a vCard file that parses, accents intact.
    await alicePage.goto(`${server.url}/contacts`);
    const [download] = await Promise.all([
      alicePage.waitForEvent('download'),
      alicePage.getByRole('button', { name: 'vCard (phone)' }).click(),
    ]);
    const file = path.join(workDir, 'contacts.vcf');
    await download.saveAs(file);
    const cards = vcf.parse(readFileSync(file, 'utf8'));
    expect(cards).toHaveLength(1);
    expect(cards[0]?.get('fn')?.valueOf()).toBe('Bob O’Neil');

    // Offline, the browser logs each refused connection; nothing else may go wrong.
    expect(aliceProblems.filter((p) => !p.includes('ERR_INTERNET_DISCONNECTED'))).toEqual([]);
    expect(bobProblems).toEqual([]);
    await Promise.all([aliceContext.close(), bobContext.close()]);
  }, 60_000);
});
