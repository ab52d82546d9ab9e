import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, PHONE } from '../helpers/browser';
import { startProductionServer, type ProductionServer } from '../helpers/production';

export const SCREENSHOTS = path.resolve('tests/.artifacts/screenshots');

describe('production server in Chromium', () => {
  let server: ProductionServer;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    [server, browser] = await Promise.all([startProductionServer(), launchBrowser()]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('serves the app shell at / with no CSP violations, in English and French', async () => {
    const context = await browser.newContext({ ...PHONE, locale: 'en-US' });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(msg.text());
    });
    page.on('pageerror', (err) => problems.push(err.message));

    await page.goto(`${server.url}/`);
    await page.getByRole('link', { name: 'Coopetition' }).waitFor();
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
      'Meet, scan, follow up',
    );
    await page.screenshot({ path: path.join(SCREENSHOTS, 'shell-en.png') });

    await page.getByLabel('Language').selectOption('fr');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
      'Rencontrer, scanner, relancer',
    );
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'shell-fr.png') });

    // Deep links are served the shell too (client-side routing).
    const deep = await page.goto(`${server.url}/some/deep/link`);
    expect(deep?.status()).toBe(200);
    await page.getByRole('link', { name: /Retour|Back/ }).waitFor();

    expect(problems).toEqual([]);
    await context.close();
  });
});
