import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOIN_CODE_PATTERN } from '../../shared/events';
import { createTestEvent, joinTestEvent, registerUser, type TestUser } from '../helpers/accounts';
import { launchBrowser } from '../helpers/browser';
import { startProductionServer, type ProductionServer } from '../helpers/production';
import { realProblems, SCREENSHOTS, signedInPage } from './leads-fixtures';

describe('organizing an event in Chromium', () => {
  let server: ProductionServer;
  let browser: Browser;
  let user: TestUser;
  let firstEventId: string;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    [server, browser] = await Promise.all([startProductionServer(), launchBrowser()]);
    // Someone who attends another event first: no pulse for them there.
    const host = await registerUser(server.url, { name: 'Odile Organisatrice' });
    const event = await createTestEvent(server.url, host, { name: 'Someone else’s meetup' });
    firstEventId = event.id;
    user = await registerUser(server.url, { name: 'Zoé Dupont-Lefèvre' });
    await joinTestEvent(server.url, user, event.joinCode);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('creates an event from Settings, shares its code and opens its pulse', async () => {
    const { context, page, problems } = await signedInPage(
      browser,
      server.url,
      user,
      firstEventId,
      'phone',
    );
    await page.goto(`${server.url}/settings`);
    await page.getByRole('combobox').waitFor();
    // An attendee of the current event: no pulse row.
    expect(await page.getByRole('link', { name: /Live pulse/ }).count()).toBe(0);
    await page.getByRole('link', { name: /Organize an event/ }).click();
    await page.getByRole('heading', { name: 'Organize an event' }).waitFor();
    expect(await page.locator('select[name=timezone]').inputValue()).toBe(
      await page.evaluate('Intl.DateTimeFormat().resolvedOptions().timeZone'),
    );

    // Shared-schema checks, shown next to the fields.
    await page.locator('input[name=startsAt]').fill('2026-12-01T18:00');
    await page.locator('input[name=endsAt]').fill('2026-12-01T17:00');
    await page.getByRole('button', { name: 'Create the event' }).click();
    await page.locator('#organizer-name-error', { hasText: 'This field is required.' }).waitFor();
    await page
      .locator('#organizer-endsAt-error', { hasText: 'The end must be after the start.' })
      .waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'organizer-errors-phone.png') });

    await page.locator('input[name=name]').fill('Demo Day — Café Lumière');
    await page.locator('input[name=venue]').fill('Halle 2');
    await page.locator('input[name=endsAt]').fill('2026-12-01T23:30');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'organizer-form-phone.png') });
    await page.getByRole('button', { name: 'Create the event' }).click();

    await page.getByRole('heading', { name: 'Your event is ready' }).waitFor();
    const code = (await page.getByTestId('join-code').textContent()) ?? '';
    expect(code).toMatch(JOIN_CODE_PATTERN);
    await page.getByRole('link', { name: `${server.url}/join/${code}` }).waitFor();
    const current = await page.evaluate("localStorage.getItem('coopetition.currentEventId')");
    expect(current).not.toBe(firstEventId);
    const overflow = await page.evaluate(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );
    expect(overflow).toBe(0);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'organizer-created-phone.png') });

    await page.getByRole('link', { name: 'Open the live pulse' }).click();
    await page.waitForURL(`**/events/${String(current)}/pulse`);
    await page.getByRole('heading', { name: 'Demo Day — Café Lumière' }).waitFor();

    // Back in Settings the new event is current and I organize it: the pulse is one tap away.
    await page.goto(`${server.url}/settings`);
    await page.getByRole('link', { name: /Live pulse/ }).waitFor();
    await page.getByRole('link', { name: /Teams/ }).click();
    await page.waitForURL('**/teams');
    await page.getByRole('heading', { name: 'Teams', level: 1 }).waitFor();

    expect(realProblems(problems)).toEqual([]);
    await context.close();
  }, 30_000);
});
