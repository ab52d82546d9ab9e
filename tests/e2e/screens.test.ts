import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CardUpdateInput } from '../../shared/card';
import type { ContactListResponse } from '../../shared/contacts';
import type { ExchangeCodeResponse, HandshakeResponse } from '../../shared/exchange';
import type { AuthResponse } from '../../shared/auth';
import { bearer, createTestEvent, joinTestEvent, registerUser } from '../helpers/accounts';
import { launchBrowser, PHONE } from '../helpers/browser';
import { requestJson } from '../helpers/http';
import { startProductionServer, type ProductionServer } from '../helpers/production';

const SCREENSHOTS = path.resolve('tests/.artifacts/screenshots');

/** Whoever calls the API: only the Authorization header matters here. */
interface Caller {
  headers: Record<string, string>;
}

/** Drives the core attendee screens in Chromium at phone size and saves a screenshot of each. */
describe('core attendee screens', () => {
  let server: ProductionServer;
  let browser: Browser;
  const problems: string[] = [];

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    [server, browser] = await Promise.all([startProductionServer(), launchBrowser()]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function newPage(
    locale: 'en-US' | 'fr-FR',
  ): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ ...PHONE, locale });
    const page = await context.newPage();
    page.on('pageerror', (err) => problems.push(err.message));
    page.on('console', (msg) => {
      // The browser logs 4xx answers and refused connections while offline on its own; the
      // app handles both.
      const expected = /status of 4\d\d|ERR_INTERNET_DISCONNECTED/.test(msg.text());
      if (msg.type() === 'error' && !expected) problems.push(msg.text());
    });
    return { context, page };
  }

  const shot = (page: Page, name: string, fullPage = false) =>
    page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage });

  /** Runs `action` and returns the file the page saved (blob downloads included). */
  async function download(page: Page, action: () => Promise<void>) {
    const [file] = await Promise.all([page.waitForEvent('download'), action()]);
    const stream = await file.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return { name: file.suggestedFilename(), text: Buffer.concat(chunks).toString('utf8') };
  }

  async function api<T>(user: Caller, method: string, url: string, body?: unknown) {
    const res = await requestJson<T>(`${server.url}/api${url}`, {
      method,
      headers: user.headers,
      body,
    });
    if (res.status >= 300)
      throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  async function makeCard(user: Caller, card: CardUpdateInput) {
    await api(user, 'PUT', '/me/card', card);
  }

  /** `scanner` scans `scanned`'s on-screen code, as the scanner screen would. */
  async function scan(scanner: Caller, scanned: Caller, eventId: string) {
    const code = await api<ExchangeCodeResponse>(
      scanned,
      'GET',
      `/events/${eventId}/exchange-code`,
    );
    return api<HandshakeResponse>(scanner, 'POST', `/events/${eventId}/handshakes`, {
      code: code.shortCode,
      method: 'qr',
    });
  }

  it('joins, edits the card, sees home, contacts, a contact, settings and a public card', async () => {
    const organizer = await registerUser(server.url, { name: 'Organizer' });
    const event = await createTestEvent(server.url, organizer, { name: 'Nantes Tech Week' });
    const bob = await registerUser(server.url, { name: 'Bob Martin' });
    await joinTestEvent(server.url, bob, event.joinCode);
    await makeCard(bob, {
      fullName: 'Bob Martin',
      title: 'Head of Partnerships',
      company: 'Atlantique Robotics',
      email: 'bob@atlantique.example',
      phone: '+33 6 12 34 56 78',
      website: 'https://atlantique.example',
      offering: 'Warehouse robots for mid-size retailers',
      seeking: 'Pilot customers in logistics',
    });
    const chloe = await registerUser(server.url, { name: 'Chloé Lefèvre-Durand' });
    await joinTestEvent(server.url, chloe, event.joinCode);
    await makeCard(chloe, {
      fullName: 'Chloé Lefèvre-Durand',
      title: 'CEO',
      company: 'Ombre & Lumière',
    });

    // Join: one screen from the event link to an account in the event.
    const { context, page } = await newPage('en-US');
    await page.goto(`${server.url}/join/${event.joinCode}`);
    await page.getByRole('heading', { level: 1, name: 'Join in under a minute' }).waitFor();
    await page.getByLabel('Your name').fill('Alice Dupont');
    await page.getByLabel('Email').fill('alice@example.org');
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create account and join' }).click();
    await page.getByText('Use at least 10 characters.').waitFor();
    await shot(page, 'join-en');
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Create account and join' }).click();

    // Card editor: prefilled, validated with translated messages, live preview, photo.
    await page.getByRole('heading', { level: 1, name: 'Your card' }).waitFor();
    expect(await page.getByLabel('Full name', { exact: true }).inputValue()).toBe('Alice Dupont');
    await page.getByLabel('Job title', { exact: true }).fill('Founder');
    await page.getByLabel('Company', { exact: true }).fill('Coop Labs');
    await page.getByLabel('Website', { exact: true }).fill('coop-labs.example');
    await page.getByRole('button', { name: 'Save and start exchanging' }).click();
    await page.getByText('Enter a full link starting with https://, without spaces.').waitFor();
    await page.getByLabel('Website', { exact: true }).fill('https://coop-labs.example');
    const photo = await page.locator('.preview').screenshot({ type: 'png' });
    await page
      .locator('#card-photo')
      .setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: photo });
    await page.locator('.preview img.avatar').waitFor();
    const photoUrl = await page.locator('.preview img.avatar').getAttribute('src');
    expect(photoUrl?.startsWith('data:image/jpeg;base64,/9j/')).toBe(true);
    expect(((photoUrl?.length ?? 0) * 3) / 4).toBeLessThan(150 * 1024 + 100);
    await expect(page.locator('.preview .card-company').textContent()).resolves.toBe('Coop Labs');
    await page.evaluate('window.scrollTo(0, 0)');
    await shot(page, 'card-editor-en');
    await page.getByRole('button', { name: 'Save and start exchanging' }).click();

    // Home: the event, my card, and the two big buttons.
    await page.getByRole('heading', { level: 1, name: 'Hello Alice' }).waitFor();
    await page.getByText('Nantes Tech Week').waitFor();
    await page.getByRole('link', { name: 'My code' }).waitFor();
    await page.getByRole('link', { name: 'Scan' }).waitFor();
    await page.getByText('No contacts yet.').waitFor();
    await shot(page, 'home-empty-en');

    // Someone scans Alice: she gets a live toast and can tag from it.
    const login = await requestJson<AuthResponse>(`${server.url}/api/auth/login`, {
      method: 'POST',
      body: { email: 'alice@example.org', password: 'correct horse battery' },
    });
    const alice: Caller = { headers: bearer(login.body.accessToken) };
    await page.waitForTimeout(300);
    await scan(bob, alice, event.id);
    const toast = page
      .locator('.toast')
      .filter({ hasText: 'Bob Martin (Atlantique Robotics) connected with you' });
    await toast.waitFor({ timeout: 5_000 });
    expect(await page.locator('.toast-region').getAttribute('aria-live')).toBe('polite');
    await shot(page, 'home-toast-en');
    await toast.getByRole('button', { name: 'Co-operation' }).click();
    await toast.waitFor({ state: 'detached' });
    await scan(alice, chloe, event.id);
    const contacts = await api<ContactListResponse>(alice, 'GET', '/contacts');
    const chloeContact = contacts.items.find((c) => c.card.fullName.startsWith('Chloé'));
    expect(chloeContact).toBeDefined();
    await api(alice, 'PATCH', `/contacts/${chloeContact?.id}`, {
      tag: 'competition',
      rating: 'hot',
    });

    // Contacts: list, filter, search.
    await page.getByRole('link', { name: 'Contacts' }).click();
    await page.getByRole('heading', { level: 1, name: 'Contacts' }).waitFor();
    await page.getByText('Chloé Lefèvre-Durand').waitFor();
    await page.getByText('Bob Martin', { exact: true }).waitFor();
    await shot(page, 'contacts-en');

    // Offline, someone new meets Alice; back online, the list catches up without a reload.
    const dana = await registerUser(server.url, { name: 'Dana Okafor' });
    await joinTestEvent(server.url, dana, event.joinCode);
    await makeCard(dana, { fullName: 'Dana Okafor', company: 'Kelp Energy' });
    await context.setOffline(true);
    await page.getByText('You are offline.').waitFor();
    await scan(dana, alice, event.id);
    await shot(page, 'contacts-offline-en');
    await context.setOffline(false);
    await page.getByText('Dana Okafor', { exact: true }).waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: 'Competition' }).click();
    await page.getByText('Bob Martin', { exact: true }).waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'All' }).click();
    await page.getByLabel('Search contacts').fill('zzz');
    await page.getByText('Nobody matches this search or filter.').waitFor();
    await page.getByRole('button', { name: 'Show all contacts' }).click();
    const exported = await download(page, () =>
      page.getByRole('button', { name: 'vCard (phone)' }).click(),
    );
    expect(exported.text.match(/BEGIN:VCARD/g)).toHaveLength(3);
    expect(exported.text).toContain('Chloé Lefèvre-Durand');

    // Contact detail: actions and private tagging.
    await page.getByRole('link', { name: /Bob Martin/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Bob Martin' }).waitFor();
    expect(await page.getByRole('link', { name: 'Call' }).getAttribute('href')).toBe(
      'tel:+33612345678',
    );
    expect(
      await page.getByRole('button', { name: 'Co-operation' }).getAttribute('aria-pressed'),
    ).toBe('true');
    await page.getByRole('button', { name: 'Warm' }).click();
    await page.getByRole('textbox', { name: 'Note' }).fill('Wants a pilot in March');
    await page.getByRole('textbox', { name: 'Note' }).blur();
    await page.getByText('Saved', { exact: true }).waitFor();
    await shot(page, 'contact-detail-en', true);
    const saved = await download(page, () =>
      page.getByRole('button', { name: 'Save to phone' }).click(),
    );
    expect(saved.name.endsWith('.vcf')).toBe(true);
    expect(saved.text).toContain('FN:Bob Martin');

    // Settings.
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    await page.getByRole('button', { name: /Delete my account/ }).click();
    await page.getByRole('dialog').getByText('Enter your password to confirm.').waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await shot(page, 'settings-en', true);
    await page.getByRole('button', { name: /Replace my badge code/ }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Replace the code' }).click();
    const rotated = page.locator('.toast', {
      hasText: 'Badge code replaced. The old one no longer works.',
    });
    await rotated.getByRole('button', { name: 'Dismiss' }).click();
    await rotated.waitFor({ state: 'detached' });

    // French: same screens, French words, no English left over.
    await page.getByRole('button', { name: 'Français' }).click();
    await page.getByRole('heading', { level: 1, name: 'Réglages' }).waitFor();
    await shot(page, 'settings-fr');
    await page.getByRole('link', { name: 'Accueil' }).click();
    await page.getByRole('heading', { level: 1, name: 'Bonjour Alice' }).waitFor();
    await page.getByRole('link', { name: 'Mon code' }).waitFor();
    await shot(page, 'home-fr');
    await page.getByRole('link', { name: 'Contacts' }).click();
    await page.getByRole('button', { name: 'Coopération' }).waitFor();
    await shot(page, 'contacts-fr');

    // Validation speaks French too (the shared schemas' English never reaches the screen).
    await page.getByRole('link', { name: 'Ma carte' }).click();
    await page.getByLabel('Téléphone', { exact: true }).fill('appelez-moi');
    await page.getByRole('button', { name: 'Enregistrer ma carte' }).click();
    await page
      .getByText('Saisissez un numéro avec des chiffres uniquement, éventuellement précédé de +.')
      .waitFor();
    await shot(page, 'card-editor-fr');

    // Signing out lands on the start screen; signing back in finds the same event.
    await page.getByRole('link', { name: 'Réglages' }).click();
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.getByRole('link', { name: 'J’ai déjà un compte' }).click();
    await page.getByRole('heading', { level: 1, name: 'Bon retour' }).waitFor();
    await page.getByLabel('E-mail').fill('alice@example.org');
    await page.getByLabel('Mot de passe').fill('correct horse battery');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByText('Nantes Tech Week').waitFor();

    // My data, then leaving: the account goes and the phone is back at the start screen.
    await page.getByRole('link', { name: 'Réglages' }).click();
    const mine = await download(page, () =>
      page.getByRole('button', { name: /Télécharger mes données/ }).click(),
    );
    expect(mine.text).toContain('alice@example.org');
    await page.getByRole('button', { name: /Supprimer mon compte/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Mot de passe').fill('not my password');
    await dialog.getByRole('button', { name: 'Supprimer définitivement' }).click();
    await dialog.getByText('Ce mot de passe n’est pas le bon.').waitFor();
    await shot(page, 'delete-account-fr');
    await dialog.getByLabel('Mot de passe').fill('correct horse battery');
    await dialog.getByRole('button', { name: 'Supprimer définitivement' }).click();
    await page.getByRole('heading', { level: 1, name: 'Rencontrer, scanner, relancer' }).waitFor();
    const gone = await requestJson(`${server.url}/api/auth/login`, {
      method: 'POST',
      body: { email: 'alice@example.org', password: 'correct horse battery' },
    });
    expect(gone.status).toBe(401);
    await context.close();

    // Public card: no account needed.
    const anon = await newPage('en-US');
    const code = await api<ExchangeCodeResponse>(bob, 'GET', `/events/${event.id}/exchange-code`);
    await anon.page.goto(`${server.url}/x/${code.token}`);
    await anon.page.getByRole('heading', { level: 1, name: 'Bob Martin' }).waitFor();
    expect(await anon.page.getByRole('link', { name: 'Save contact' }).getAttribute('href')).toBe(
      `/api/x/${code.token}/vcard`,
    );
    expect(
      await anon.page
        .getByRole('link', { name: 'Join this event to exchange back' })
        .getAttribute('href'),
    ).toBe(`/join/${event.joinCode}`);
    await shot(anon.page, 'public-card-en');
    await anon.page.goto(`${server.url}/x/not-a-real-code`);
    await anon.page.getByRole('heading', { level: 1, name: 'This code does not work' }).waitFor();
    await shot(anon.page, 'public-card-invalid-en');
    await anon.context.close();

    // Dark theme follows the OS.
    const dark = await newPage('en-US');
    await dark.page.emulateMedia({ colorScheme: 'dark' });
    await dark.page.goto(`${server.url}/x/${code.token}`);
    await dark.page.getByRole('heading', { level: 1, name: 'Bob Martin' }).waitFor();
    await shot(dark.page, 'public-card-dark');
    await dark.context.close();

    expect(problems).toEqual([]);
  }, 120_000);
});
