import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser';
import { startProductionServer, type ProductionServer } from '../helpers/production';
import { joinTestEvent } from '../helpers/accounts';
import { shakeHands } from '../server/teams.fixtures';
import {
  download,
  listLeads,
  patchLead,
  person,
  realProblems,
  signInAgain,
  SCREENSHOTS,
  seedBoard,
  signedInPage,
  type BoardWorld,
} from './leads-fixtures';

/** Names of the leads the board shows, in order (table rows on a laptop). */
async function boardNames(page: Page): Promise<string[]> {
  return page.locator('.lead-table tbody th a.lead-name').allTextContents();
}

async function waitForNames(page: Page, expected: string[]): Promise<void> {
  await expect
    .poll(async () => (await boardNames(page)).sort(), { timeout: 10_000 })
    .toEqual([...expected].sort());
}

describe('team lead board in Chromium', () => {
  let server: ProductionServer;
  let browser: Browser;
  let world: BoardWorld;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    [server, browser] = await Promise.all([startProductionServer(), launchBrowser()]);
    world = await seedBoard(server.url);
    // Team tags set by the team: Alice co-operation, Bob competition, Carla untagged.
    const leads = await listLeads(server.url, world.owner, world.teamId);
    const id = (name: string) => leads.find((l) => l.person.fullName === name)?.id ?? '';
    await patchLead(server.url, world.owner, world.teamId, id('Alice Lefèvre'), {
      tag: 'cooperation',
      rating: 'hot',
      note: 'Wants a pilot in Q1',
    });
    await patchLead(server.url, world.owner, world.teamId, id('Bob O’Neill'), {
      tag: 'competition',
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('merges the person both staff met, filters, exports a CSV that parses, bulk-updates', async () => {
    const { context, page, problems } = await signedInPage(
      browser,
      server.url,
      world.owner,
      world.eventId,
      'laptop',
    );
    await page.goto(`${server.url}/teams/${world.teamId}/leads`);
    await waitForNames(page, ['Alice Lefèvre', 'Bob O’Neill', 'Carla Ruiz-Díaz']);

    // One row for Alice, met by both staff members: two encounters.
    const alice = page.locator('.lead-table tbody tr', { hasText: 'Alice Lefèvre' });
    await expect.poll(() => alice.count()).toBe(1);
    const aliceText = (await alice.textContent()) ?? '';
    expect(aliceText).toContain('Met 2 times by');
    expect(aliceText).toContain('Olivia Martin');
    expect(aliceText).toContain('Samir Haddad');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'leads-board-laptop.png') });

    // Co-operation / competition / untagged filters.
    await page.getByRole('button', { name: 'Co-operation' }).click();
    await waitForNames(page, ['Alice Lefèvre']);
    await page.getByRole('button', { name: 'Competition' }).click();
    await waitForNames(page, ['Bob O’Neill']);
    await page.getByRole('button', { name: 'Untagged' }).click();
    await waitForNames(page, ['Carla Ruiz-Díaz']);
    await page.getByRole('button', { name: 'All', exact: true }).click();
    await waitForNames(page, ['Alice Lefèvre', 'Bob O’Neill', 'Carla Ruiz-Díaz']);

    // Staff member filter, then a debounced search (accents folded by the server).
    await page.getByText('More filters').click();
    await page.getByLabel('Met by', { exact: true }).selectOption({ label: 'Samir Haddad' });
    await waitForNames(page, ['Alice Lefèvre', 'Carla Ruiz-Díaz']);
    await page.getByLabel('Search leads').fill('diaz');
    await waitForNames(page, ['Carla Ruiz-Díaz']);
    await page.getByRole('button', { name: 'Clear filters' }).first().click();
    await waitForNames(page, ['Alice Lefèvre', 'Bob O’Neill', 'Carla Ruiz-Díaz']);

    // CSV export of the current filter (co-operation only), then of everything.
    await page.getByRole('button', { name: 'Co-operation' }).click();
    await waitForNames(page, ['Alice Lefèvre']);
    const filtered = await download(page, () => page.getByRole('button', { name: /CSV/ }).click());
    const filteredRows = parse(filtered.text, { bom: true, columns: true }) as Record<
      string,
      string
    >[];
    expect(filteredRows.map((r) => r['Last name'])).toEqual(['Lefèvre']);

    await page.getByRole('button', { name: 'All', exact: true }).click();
    await waitForNames(page, ['Alice Lefèvre', 'Bob O’Neill', 'Carla Ruiz-Díaz']);
    const all = await download(page, () => page.getByRole('button', { name: /CSV/ }).click());
    expect(all.name).toMatch(/\.csv$/);
    const rows = parse(all.text, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(3);
    const aliceRow = rows.find((r) => r['First name'] === 'Alice');
    expect(aliceRow?.['Last name']).toBe('Lefèvre');
    expect(aliceRow?.Company).toBe('Banque du Nord');
    expect(aliceRow?.Tag).toBe('Co-operation');
    expect(aliceRow?.Rating).toBe('hot');
    expect(aliceRow?.['Met by']).toContain('Olivia Martin');
    expect(aliceRow?.['Met by']).toContain('Samir Haddad');
    expect(aliceRow?.['Team note']).toContain('Wants a pilot in Q1');
    expect(aliceRow?.Event).toBe('Soirée d’ouverture');

    // Bulk: select Bob and Carla, mark them followed up.
    await page.getByLabel('Select Bob O’Neill').check();
    await page.getByLabel('Select Carla Ruiz-Díaz').check();
    await page.getByRole('button', { name: 'Mark followed up' }).click();
    await expect
      .poll(async () =>
        (await listLeads(server.url, world.owner, world.teamId))
          .filter((l) => l.followedUp)
          .map((l) => l.person.fullName)
          .sort(),
      )
      .toEqual(['Bob O’Neill', 'Carla Ruiz-Díaz']);
    await expect.poll(() => page.locator('.lead-table .done-badge').count()).toBe(2);

    // Detail: both encounters, the team note with its author, add a note.
    await page.getByRole('link', { name: 'Alice Lefèvre' }).click();
    await page.getByRole('heading', { name: 'Alice Lefèvre' }).waitFor();
    await page.getByRole('heading', { name: 'Encounters (2)' }).waitFor();
    expect(await page.locator('.notes').textContent()).toContain('Olivia Martin');
    await page.getByLabel('Add a note for the team').fill('Send the deck on Monday');
    await page.getByRole('button', { name: 'Add the note' }).click();
    await page.getByText('Send the deck on Monday').waitFor();
    await page.screenshot({
      path: path.join(SCREENSHOTS, 'leads-detail-laptop.png'),
      fullPage: true,
    });

    // Team page: members and an invite to share.
    await page.goto(`${server.url}/teams/${world.teamId}`);
    await page.getByText('Samir Haddad').waitFor();
    await page.getByRole('button', { name: 'Create an invite' }).click();
    expect(await page.locator('.invite-code').textContent()).toMatch(
      /^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/,
    );
    await page.screenshot({ path: path.join(SCREENSHOTS, 'teams-members-laptop.png') });

    // Stats: every chart is drawn and has its table alternative.
    await page.goto(`${server.url}/teams/${world.teamId}/stats`);
    await page.locator('figcaption', { hasText: 'Leads by tag (3)' }).waitFor();
    expect(await page.locator('figure.chart svg').count()).toBeGreaterThanOrEqual(4);
    expect(await page.getByText('Show as a table').count()).toBe(4);
    await page.screenshot({
      path: path.join(SCREENSHOTS, 'leads-stats-laptop.png'),
      fullPage: true,
    });

    expect(realProblems(problems)).toEqual([]);
    await context.close();
  }, 60_000);

  it('works on a phone: a list, not a table; French; stats', async () => {
    const { context, page, problems } = await signedInPage(
      browser,
      server.url,
      world.staff,
      world.eventId,
      'phone',
      'fr-FR',
    );
    await page.goto(`${server.url}/teams/${world.teamId}/leads`);
    await page.locator('.lead-card .lead-name').first().waitFor();
    expect(await page.locator('.lead-table').count()).toBe(0);
    expect((await page.locator('.lead-card .lead-name').allTextContents()).sort()).toEqual([
      'Alice Lefèvre',
      'Bob O’Neill',
      'Carla Ruiz-Díaz',
    ]);
    await page.getByText('Rencontré 2 fois par', { exact: false }).first().waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'leads-board-phone.png') });

    await page.getByLabel('Sélectionner Carla Ruiz-Díaz').check();
    await page.getByRole('region', { name: 'Modifier les pistes sélectionnées' }).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'leads-board-phone-bulk.png') });

    await page.getByLabel('Sélectionner Carla Ruiz-Díaz').uncheck();
    await page.getByRole('link', { name: /Alice Lefèvre/ }).click();
    await page.getByRole('heading', { name: 'Rencontres (2)' }).waitFor();
    await page.screenshot({
      path: path.join(SCREENSHOTS, 'leads-detail-phone.png'),
      fullPage: true,
    });

    await page.goto(`${server.url}/teams/${world.teamId}/stats`);
    await page.locator('figcaption', { hasText: 'Pistes par étiquette (3)' }).waitFor();
    await page.screenshot({
      path: path.join(SCREENSHOTS, 'leads-stats-phone.png'),
      fullPage: true,
    });

    // Tap targets: every button and link on the stats screen is at least 44 px tall.
    const small = await page.evaluate(`
      [...document.querySelectorAll('main button, main a, main summary, main select')]
        .filter((el) => el.getBoundingClientRect().height > 0 && el.getBoundingClientRect().height < 44)
        .map((el) => el.textContent)
    `);
    expect(small).toEqual([]);
    expect(realProblems(problems)).toEqual([]);
    await context.close();
  });

  it('an outsider sees no lead of the team', async () => {
    const { context, page } = await signedInPage(
      browser,
      server.url,
      world.alice,
      world.eventId,
      'phone',
    );
    await page.goto(`${server.url}/teams/${world.teamId}/leads`);
    await page.getByRole('alert').waitFor();
    expect(await page.locator('.lead-card').count()).toBe(0);
    expect(await page.content()).not.toContain('Carla');
    await context.close();
  });

  it('shows a lead the stand captures while the board is open, without a reload', async () => {
    // A sign-in of its own: the first test's context already rotated the owner's cookie.
    const owner = await signInAgain(server.url, world.owner);
    const { context, page, problems } = await signedInPage(
      browser,
      server.url,
      owner,
      world.eventId,
      'laptop',
    );
    // `session:ready` arrives once the socket is in its rooms, the team's included.
    const inRooms = page.waitForEvent('websocket').then(
      (ws) =>
        new Promise<void>((resolve) =>
          ws.on('framereceived', ({ payload }) => {
            if (String(payload).includes('"session:ready"')) resolve();
          }),
        ),
    );
    await page.goto(`${server.url}/teams/${world.teamId}/leads`);
    const before = (await listLeads(server.url, owner, world.teamId)).map((l) => l.person.fullName);
    await waitForNames(page, before);
    await inRooms;

    const dan = await person(server.url, 'Dan Lemaître', 'Forge & Cie', 'COO');
    await joinTestEvent(server.url, dan, world.joinCode);
    await shakeHands(server.url, world.eventId, world.staff, dan);
    await waitForNames(page, [...before, 'Dan Lemaître']);
    expect(realProblems(problems)).toEqual([]);
    await context.close();
  });
});
