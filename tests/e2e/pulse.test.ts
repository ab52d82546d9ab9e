import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExchangeCodeResponse, HandshakeResponse } from '../../shared/exchange';
import { createTestEvent, joinTestEvent, registerUser, type TestUser } from '../helpers/accounts';
import { launchBrowser } from '../helpers/browser';
import { waitForExpression } from '../helpers/e2e-session';
import { requestJson } from '../helpers/http';
import { startProductionServer, type ProductionServer } from '../helpers/production';
import { teamWithStaff } from '../server/teams.fixtures';
import {
  download,
  person,
  realProblems,
  SCREENSHOTS,
  signedInPage,
  signInAgain,
} from './leads-fixtures';

/** `scanner` scans `scanned` at the event; returns the scanner's new contact id. */
async function meet(
  baseUrl: string,
  eventId: string,
  scanner: TestUser,
  scanned: TestUser,
): Promise<string> {
  const code = await requestJson<ExchangeCodeResponse>(
    `${baseUrl}/api/events/${eventId}/exchange-code`,
    { headers: scanned.headers },
  );
  const res = await requestJson<HandshakeResponse>(`${baseUrl}/api/events/${eventId}/handshakes`, {
    method: 'POST',
    headers: scanner.headers,
    body: { code: code.body.token, method: 'qr' },
  });
  if (res.status !== 201) throw new Error(`handshake: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.contact.id;
}

async function tag(baseUrl: string, user: TestUser, contactId: string, value: string) {
  const res = await requestJson(`${baseUrl}/api/contacts/${contactId}`, {
    method: 'PATCH',
    headers: user.headers,
    body: { tag: value },
  });
  if (res.status !== 200) throw new Error(`tag: ${res.status} ${JSON.stringify(res.body)}`);
}

async function handshakeCount(page: Page): Promise<string> {
  return (await page.getByTestId('pulse-handshakes').textContent()) ?? '';
}

describe('organizer pulse in Chromium', () => {
  let server: ProductionServer;
  let browser: Browser;
  let organizer: TestUser;
  let eventId: string;
  let banque: TestUser[];
  let atelier: TestUser[];

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    [server, browser] = await Promise.all([startProductionServer(), launchBrowser()]);
    const url = server.url;
    organizer = await registerUser(url, { name: 'Odile Organisatrice' });
    const event = await createTestEvent(url, organizer, { name: 'Tech Week — opening night' });
    eventId = event.id;
    const [loop, bank, workshop, data] = await Promise.all([
      Promise.all([
        person(url, 'Olivia Martin', 'Loop Robotics'),
        person(url, 'Samir Haddad', 'Loop Robotics'),
      ]),
      Promise.all([
        person(url, 'Alice Lefèvre', 'Banque du Nord'),
        person(url, 'Hélène Petit', 'Banque du Nord'),
        person(url, 'Marc Dubois', 'Banque du Nord'),
      ]),
      Promise.all([
        person(url, 'Bob O’Neill', 'Atelier Lumière'),
        person(url, 'Inès Moreau', 'Atelier Lumière'),
      ]),
      Promise.all([
        person(url, 'Carla Ruiz-Díaz', 'DataCorp'),
        person(url, 'Dmitri Volkov', 'DataCorp'),
      ]),
    ]);
    banque = bank;
    atelier = workshop;
    const [loop0, loop1] = loop as [TestUser, TestUser];
    const [atelier0, atelier1] = workshop as [TestUser, TestUser];
    const loopTeam = await teamWithStaff(url, loop0, [loop1], 'Loop Robotics');
    const atelierTeam = await teamWithStaff(url, atelier0, [atelier1], 'Atelier Lumière');
    await Promise.all([
      ...loop.map((u) => joinTestEvent(url, u, event.joinCode, { teamId: loopTeam })),
      ...workshop.map((u) => joinTestEvent(url, u, event.joinCode, { teamId: atelierTeam })),
      ...[...bank, ...data].map((u) => joinTestEvent(url, u, event.joinCode)),
    ]);
    // Loop meets the bank (tagged co-operation) and the workshop; the workshop meets
    // DataCorp (tagged competition); the bank meets DataCorp (untagged).
    for (const staff of loop) {
      for (const banker of bank)
        await tag(url, staff, await meet(url, eventId, staff, banker), 'cooperation');
      for (const maker of workshop) await meet(url, eventId, staff, maker);
    }
    for (const maker of workshop) {
      for (const analyst of data)
        await tag(url, maker, await meet(url, eventId, maker, analyst), 'competition');
    }
    for (const banker of bank.slice(0, 2))
      for (const analyst of data) await meet(url, eventId, banker, analyst);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows the pulse and updates the handshake count live when a handshake happens', async () => {
    const { context, page, problems } = await signedInPage(
      browser,
      server.url,
      organizer,
      eventId,
      'laptop',
    );
    await page.goto(`${server.url}/events/${eventId}/pulse`);
    await expect.poll(() => handshakeCount(page), { timeout: 10_000 }).toBe('18');
    await page.locator('.live-pill.is-live').waitFor();
    // Aggregates: the split, both startups, and the company network with its text list.
    await page.locator('figcaption', { hasText: 'Top startups by leads received' }).waitFor();
    expect(await page.locator('.pulse-grid').textContent()).toContain('Atelier Lumière');
    expect(await page.locator('.network-edge').count()).toBe(4);
    await page.getByText('Show every pair as a list').click();
    const pairs = await page.locator('.network-panel tbody tr').allTextContents();
    expect(pairs.some((p) => p.includes('Banque du Nord') && p.includes('Loop Robotics'))).toBe(
      true,
    );
    await page.screenshot({ path: path.join(SCREENSHOTS, 'pulse-laptop.png'), fullPage: true });

    // A handshake made elsewhere while the dashboard is open: the count moves by itself.
    const madeAt = Date.now();
    await meet(server.url, eventId, banque[2] as TestUser, atelier[0] as TestUser);
    await waitForExpression(
      page,
      "document.querySelector('[data-testid=pulse-handshakes]')?.textContent === '19'",
      8_000,
    );
    console.log(`pulse: handshake to dashboard count ${Date.now() - madeAt} ms`);

    const csv = await download(page, () =>
      page.getByRole('button', { name: /Download CSV/ }).click(),
    );
    const rows = parse(csv.text, { bom: true, columns: true }) as Record<string, string>[];
    const total = rows.find((r) => r.Section === 'total' && r.Name === 'handshakes');
    expect(total?.['Handshakes / count']).toBe('19');
    expect(rows.some((r) => r.Section === 'company pair')).toBe(true);

    expect(realProblems(problems)).toEqual([]);
    await context.close();
  }, 60_000);

  it('fits a phone, in French', async () => {
    const { context, page, problems } = await signedInPage(
      browser,
      server.url,
      await signInAgain(server.url, organizer),
      eventId,
      'phone',
      'fr-FR',
    );
    await page.goto(`${server.url}/events/${eventId}/pulse`);
    await page
      .locator('figcaption', { hasText: 'Quelles entreprises se sont rencontrées' })
      .waitFor();
    const overflow = await page.evaluate(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );
    expect(overflow).toBe(0);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'pulse-phone.png'), fullPage: true });
    expect(realProblems(problems)).toEqual([]);
    await context.close();
  });

  it('is for organizers only', async () => {
    const { context, page } = await signedInPage(
      browser,
      server.url,
      banque[0] as TestUser,
      eventId,
      'phone',
    );
    await page.goto(`${server.url}/events/${eventId}/pulse`);
    await page.getByText('The pulse is for this event’s organizers only.').waitFor();
    expect(await page.getByTestId('pulse-handshakes').count()).toBe(0);
    await context.close();
  });
});
