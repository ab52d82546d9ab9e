import { randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import { parse as parseCsv } from 'csv-parse/sync';
import VCard from 'vcf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContactResponse } from '../../shared/contacts';
import type { ExchangeCodeResponse, HandshakeResponse } from '../../shared/exchange';
import { CSV_COLUMNS } from '../../shared/exports';
import { ContactModel } from '../../server/src/features/contacts/contacts.model';
import { createTestEvent, joinTestEvent, registerUser, type TestUser } from '../helpers/accounts';
import { requestJson } from '../helpers/http';
import { startTestServer, type TestServer } from '../helpers/server';

const NAME = 'Éloïse Müller-Ørsted';
const photoBase64 = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
  randomBytes(4000),
]).toString('base64');
const unescape = (value: string) =>
  value.replace(/\\([\\;,nN])/g, (_m, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
const prop = (card: VCard | undefined, key: string): string => {
  const found = card?.get(key);
  if (!found) return '';
  return (
    Array.isArray(found) ? found.map((p) => p.valueOf()).join('|') : found.valueOf()
  ) as string;
};

describe('exports over HTTP: one contact, all contacts, filtered, public card', () => {
  let server: TestServer;
  let alice: TestUser;
  let bob: TestUser;
  let mallory: TestUser;
  let eventId: string;
  let bobCode: ExchangeCodeResponse;
  let contactId: string;
  const url = (path: string) => `${server.url}${path}`;
  const get = (path: string, user?: TestUser) => fetch(url(path), { headers: user?.headers ?? {} });

  beforeAll(async () => {
    server = await startTestServer();
    [alice, bob, mallory] = await Promise.all([
      registerUser(server.url, { name: 'Alice Martin' }),
      registerUser(server.url, { name: NAME }),
      registerUser(server.url, { name: 'Mallory' }),
    ]);
    const card = await requestJson(url('/api/me/card'), {
      method: 'PUT',
      headers: bob.headers,
      body: {
        fullName: NAME,
        title: 'Fondatrice',
        company: 'Vélos Ørsted, SAS',
        email: 'eloise@example.fr',
        phone: '+33 6 12 34 56 78',
        website: 'https://velos.example.fr',
        photo: `data:image/jpeg;base64,${photoBase64}`,
      },
    });
    expect(card.status).toBe(200);
    const event = await createTestEvent(server.url, alice, { name: 'Nuit de la coopétition' });
    eventId = event.id;
    await joinTestEvent(server.url, bob, event.joinCode);
    const code = await requestJson<ExchangeCodeResponse>(
      url(`/api/events/${eventId}/exchange-code`),
      {
        headers: bob.headers,
      },
    );
    expect(code.status).toBe(200);
    bobCode = code.body;
    const scan = await requestJson<HandshakeResponse>(url(`/api/events/${eventId}/handshakes`), {
      method: 'POST',
      headers: alice.headers,
      body: { code: bobCode.url, method: 'qr' },
    });
    expect(scan.status).toBe(201);
    contactId = scan.body.contact.id;
    const tagged = await requestJson<ContactResponse>(url(`/api/contacts/${contactId}`), {
      method: 'PATCH',
      headers: alice.headers,
      body: { tag: 'cooperation', note: 'Wants 20 bikes; call Monday.\nSecond line' },
    });
    expect(tagged.status).toBe(200);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('downloads one contact as a vCard with the tag, the note and the photo', async () => {
    const res = await get(`/api/contacts/${contactId}/vcard`, alice);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/vcard; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="Eloise Muller-Orsted.vcf"; filename*=UTF-8''${encodeURIComponent(`${NAME}.vcf`)}`,
    );
    expect(res.headers.get('cache-control')).toBe('no-store');
    const cards = VCard.parse(await res.text());
    expect(cards).toHaveLength(1);
    const card = cards[0];
    expect(unescape(prop(card, 'fn'))).toBe(NAME);
    expect(unescape(prop(card, 'org'))).toBe('Vélos Ørsted, SAS');
    expect(prop(card, 'tel')).toBe('+33612345678');
    expect(prop(card, 'categories')).toBe('Co-operation');
    expect(unescape(prop(card, 'note'))).toBe('Wants 20 bikes; call Monday.\nSecond line');
    expect(prop(card, 'photo').replace(/\s/g, '')).toBe(photoBase64);
    expect(prop(card, 'uid')).toBe(`coopetition-${bob.user.id}`);
  });

  it("answers 404 contact_not_found for someone else's contact or a malformed id", async () => {
    for (const id of [contactId, 'export-all', '0123456789abcdef01234567']) {
      const res = await requestJson(url(`/api/contacts/${id}/vcard`), { headers: mallory.headers });
      expect(res.status).toBe(404);
      expect(res.body).toEqual({
        error: { code: 'contact_not_found', message: 'Contact not found.' },
      });
    }
    const anonymous = await requestJson<{ error: { code: string } }>(
      url(`/api/contacts/${contactId}/vcard`),
    );
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('unauthorized');
  });

  it('exports all my contacts as .vcf and as .csv (BOM, header, accents intact)', async () => {
    const vcf = await get('/api/contacts/export?format=vcf', alice);
    expect(vcf.status).toBe(200);
    expect(vcf.headers.get('content-type')).toBe('text/vcard; charset=utf-8');
    expect(vcf.headers.get('content-disposition')).toMatch(
      /^attachment; filename="coopetition-contacts-\d{4}-\d{2}-\d{2}\.vcf"/,
    );
    const cards = VCard.parse(await vcf.text());
    expect(cards.map((card) => unescape(prop(card, 'fn')))).toEqual([NAME]);

    const csv = await get('/api/contacts/export?format=csv', alice);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(bytes.toString('utf8'), { bom: true }) as string[][];
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(2);
    const row = Object.fromEntries(CSV_COLUMNS.map((column, i) => [column, rows[1]?.[i]]));
    expect(row['Full name']).toBe(NAME);
    expect(row.Company).toBe('Vélos Ørsted, SAS');
    expect(row.Tag).toBe('Co-operation');
    expect(row.Events).toBe('Nuit de la coopétition');
    expect(row.Note).toBe('Wants 20 bikes; call Monday.\nSecond line');
  });

  it('filters exports by tag, event and text like the list does', async () => {
    const competition = await get('/api/contacts/export?format=csv&tag=competition', alice);
    expect((parseCsv(await competition.text(), { bom: true }) as string[][]).length).toBe(1);
    const byEvent = await get(
      `/api/contacts/export?format=vcf&eventId=${eventId}&tag=cooperation&q=orsted`,
      alice,
    );
    expect(VCard.parse(await byEvent.text())).toHaveLength(1);
    const otherText = await get('/api/contacts/export?format=vcf&q=nobody', alice);
    expect(await otherText.text()).toBe('');
  });

  it("never exports another user's contacts", async () => {
    const res = await get('/api/contacts/export?format=csv', mallory);
    expect(res.status).toBe(200);
    expect(parseCsv(await res.text(), { bom: true })).toHaveLength(1);
  });

  it.each([
    ['format=pdf'],
    ['format=csv&tag=friends'],
    ['eventId=not-an-id'],
    ['eventId[$gt]='],
    ['format=csv&format=vcf'],
    ['format=csv&admin=1'],
  ])('rejects the query %s with 400 validation_failed', async (query) => {
    const res = await requestJson<{ error: { code: string } }>(
      url(`/api/contacts/export?${query}`),
      {
        headers: alice.headers,
      },
    );
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
  });

  it('serves the public vCard behind a valid code, without any private data', async () => {
    const res = await get(`/api/x/${bobCode.token}/vcard`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/vcard; charset=utf-8');
    const cards = VCard.parse(await res.text());
    expect(cards).toHaveLength(1);
    expect(unescape(prop(cards[0], 'fn'))).toBe(NAME);
    expect(cards[0]?.get('categories')).toBeUndefined();
    expect(cards[0]?.get('note')).toBeUndefined();

    const forged = await requestJson<{ error: { code: string } }>(
      url(`/api/x/${bobCode.token.slice(0, -3)}abc/vcard`),
    );
    expect(forged.status).toBe(404);
    expect(forged.body.error.code).toBe('code_invalid');
    const access = await requestJson<{ error: { code: string } }>(
      url(`/api/x/${alice.accessToken}/vcard`),
    );
    expect(access.status).toBe(404);
    expect(access.body.error.code).toBe('code_invalid');
  });

  it('hides fields the owner made invisible from the public vCard', async () => {
    const hide = await requestJson(url('/api/me/card'), {
      method: 'PUT',
      headers: bob.headers,
      body: {
        fullName: NAME,
        phone: '+33612345678',
        email: 'eloise@example.fr',
        visibility: { phone: false },
      },
    });
    expect(hide.status).toBe(200);
    const code = await requestJson<ExchangeCodeResponse>(
      url(`/api/events/${eventId}/exchange-code`),
      {
        headers: bob.headers,
      },
    );
    const res = await get(`/api/x/${code.body.token}/vcard`);
    const card = VCard.parse(await res.text())[0];
    expect(card?.get('tel')).toBeUndefined();
    expect(prop(card, 'email')).toBe('eloise@example.fr');
  });

  it('streams a large export from a cursor: every contact, once, in order', async () => {
    const owner = await registerUser(server.url, { name: 'Busy Organizer' });
    const ownerId = new Types.ObjectId(owner.user.id);
    const total = 2500;
    const base = Date.parse('2026-12-01T18:00:00Z');
    const rows = Array.from({ length: total }, (_, i) => ({
      ownerId,
      otherUserId: new Types.ObjectId(),
      card: { fullName: `Personne ${i} Éloïse`, company: i % 7 === 0 ? '=SUM(A1)' : 'Coopé' },
      searchText: `personne ${i} eloise`,
      eventIds: [],
      tag: i % 2 === 0 ? 'cooperation' : 'competition',
      lastMetAt: new Date(base + i * 1000),
      createdAt: new Date(base + i * 1000),
      updatedAt: new Date(base + i * 1000),
    }));
    for (let i = 0; i < rows.length; i += 500) {
      await ContactModel.insertMany(rows.slice(i, i + 500));
    }
    const started = performance.now();
    const csv = await get('/api/contacts/export?format=csv', owner);
    const text = await csv.text();
    const csvMs = performance.now() - started;
    expect(csv.headers.get('transfer-encoding')).toBe('chunked');
    const parsed = parseCsv(text, { bom: true }) as string[][];
    expect(parsed).toHaveLength(total + 1);
    expect(parsed[1]?.[0]).toBe(`Personne ${total - 1} Éloïse`);
    expect(parsed.filter((r) => r[2] === "'=SUM(A1)")).toHaveLength(Math.ceil(total / 7));

    const vcfStarted = performance.now();
    const vcf = await get('/api/contacts/export?format=vcf&tag=cooperation', owner);
    const cards = VCard.parse(await vcf.text());
    const vcfMs = performance.now() - vcfStarted;
    expect(cards).toHaveLength(total / 2);
    console.log(
      `export of ${total} contacts: csv ${csvMs.toFixed(0)} ms, vcf (${total / 2}) ${vcfMs.toFixed(0)} ms`,
    );
  });
});
