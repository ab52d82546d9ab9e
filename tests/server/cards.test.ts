import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CardResponse } from '../../shared/card';
import { CardModel } from '../../server/src/features/cards/cards.model';
import { registerUser, type TestUser } from '../helpers/accounts';
import { requestJson } from '../helpers/http';
import { startTestServer, type TestServer } from '../helpers/server';

/** Bytes that start with the JPEG start-of-image marker, as a data URL. */
function jpegDataUrl(size: number): string {
  const bytes = Buffer.concat([
    Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
    randomBytes(Math.max(0, size - 6)),
    Buffer.from([0xff, 0xd9]),
  ]);
  return `data:image/jpeg;base64,${bytes.toString('base64')}`;
}

const FULL_CARD = {
  // Typed decomposed (e + combining accent): stored composed, exactly as it looks.
  fullName: '  E\u0301loi\u0308se Mu\u0308ller-Ørsted ',
  title: 'Directrice générale',
  company: "L'Atelier Coopétition",
  email: ' Eloise@Example.FR ',
  phone: '+33 (0)6 12-34.56 78',
  website: 'https://atelier.example.fr/équipe',
  linkedin: 'https://www.linkedin.com/in/eloise',
  bio: 'Nous fabriquons des vélos.',
  offering: 'Distribution',
  seeking: 'Investisseurs',
  visibility: { phone: false },
};

describe('cards: GET|PUT /api/me/card', () => {
  let server: TestServer;
  let user: TestUser;
  const put = (body: unknown, u: TestUser = user) =>
    requestJson<CardResponse & { error: { code: string; details?: unknown } }>(
      `${server.url}/api/me/card`,
      {
        method: 'PUT',
        headers: u.headers,
        body,
      },
    );
  const stored = async (u: TestUser = user) => CardModel.findOne({ userId: u.user.id }).lean();

  beforeAll(async () => {
    server = await startTestServer();
    user = await registerUser(server.url, { name: 'Éloïse' });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('starts with the name from sign-up and everything visible', async () => {
    const res = await requestJson<CardResponse>(`${server.url}/api/me/card`, {
      headers: user.headers,
    });
    expect(res.status).toBe(200);
    expect(res.body.card).toMatchObject({ fullName: 'Éloïse', title: '', photo: null });
    expect(Object.values(res.body.card.visibility).every(Boolean)).toBe(true);
  });

  it('saves a full card: trimmed, NFC, phone normalised, accents intact, visibility merged', async () => {
    const photo = jpegDataUrl(2000);
    const res = await put({ ...FULL_CARD, photo });
    expect(res.status).toBe(200);
    expect(res.body.card).toMatchObject({
      fullName: 'Éloïse Müller-Ørsted',
      title: 'Directrice générale',
      company: "L'Atelier Coopétition",
      email: 'eloise@example.fr',
      phone: '+330612345678',
      website: 'https://atelier.example.fr/%C3%A9quipe',
      linkedin: 'https://www.linkedin.com/in/eloise',
      photo,
    });
    expect(res.body.card.fullName).toBe('\u00c9lo\u00efse M\u00fcller-\u00d8rsted');
    expect(res.body.card.visibility.phone).toBe(false);
    expect(res.body.card.visibility.email).toBe(true);
    const doc = await stored();
    expect(doc?.phone).toBe('+330612345678');
    const hydrated = await CardModel.findOne({ userId: user.user.id });
    expect(hydrated?.photo?.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));

    // Omitting the photo keeps it; null removes it; omitted visibility keeps settings.
    const kept = await put({ fullName: 'Éloïse Müller-Ørsted' });
    expect(kept.body.card.photo).toBe(photo);
    expect(kept.body.card.title).toBe('');
    expect(kept.body.card.visibility.phone).toBe(false);
    const removed = await put({ fullName: 'Éloïse Müller-Ørsted', photo: null });
    expect(removed.body.card.photo).toBeNull();
  });

  it('returns the card in GET /api/me too', async () => {
    const res = await requestJson<{ card: { fullName: string } }>(`${server.url}/api/me`, {
      headers: user.headers,
    });
    expect(res.body.card.fullName).toBe('Éloïse Müller-Ørsted');
  });

  const valid = { fullName: 'Valid Name' };
  const badInputs: [string, unknown][] = [
    ['a number as name', { fullName: 42 }],
    ['no name', { title: 'CEO' }],
    ['an empty name', { fullName: '   ' }],
    ['a 101-character name', { fullName: 'n'.repeat(101) }],
    ['an unknown field', { ...valid, role: 'admin' }],
    ['an array body', [valid]],
    ['a CR/LF in the phone', { ...valid, phone: '+33612345678\r\nEMAIL:evil@x.org' }],
    ['a LF in the email', { ...valid, email: 'a@b.org\nTEL:1' }],
    ['a CR/LF in the website', { ...valid, website: 'https://a.org/\r\nNOTE:x' }],
    ['a tab in the LinkedIn URL', { ...valid, linkedin: 'https://linkedin.com/in/\tx' }],
    ['a control character in the company', { ...valid, company: 'ACME\u0007' }],
    ['a NUL in the title', { ...valid, title: 'CEO\u0000' }],
    ['a line separator in the bio', { ...valid, bio: 'one\u2028two' }],
    ['a line break in the name', { fullName: 'Ann\nEND:VCARD' }],
    ['a direction override in the name', { fullName: 'Ann \u202egnaW' }],
    ['a direction isolate in the company', { ...valid, company: 'ACME\u2067' }],
    ['an http: website', { ...valid, website: 'http://example.org' }],
    ['a javascript: link', { ...valid, linkedin: 'javascript:alert(1)' }],
    ['a website without a public host', { ...valid, website: 'https://localhost/x' }],
    ['letters in the phone', { ...valid, phone: '+33 six' }],
    ['a + in the middle of the phone', { ...valid, phone: '33+612345678' }],
    ['an invalid email', { ...valid, email: 'not an email' }],
    [
      'a non-JPEG photo (PNG)',
      {
        ...valid,
        photo: `data:image/png;base64,${Buffer.from('\x89PNG\r\n\x1a\n').toString('base64')}`,
      },
    ],
    [
      'PNG bytes labelled as JPEG',
      {
        ...valid,
        photo: `data:image/jpeg;base64,${Buffer.from('\x89PNG\r\n\x1a\n0000').toString('base64')}`,
      },
    ],
    ['an oversized photo', { ...valid, photo: jpegDataUrl(150 * 1024 + 1) }],
    ['a photo that is not base64', { ...valid, photo: 'data:image/jpeg;base64,/9j/<script>' }],
    ['a non-boolean visibility', { ...valid, visibility: { phone: 'no' } }],
    ['an unknown visibility field', { ...valid, visibility: { passwordHash: true } }],
    ['an operator as visibility', { ...valid, visibility: { $set: { phone: true } } }],
    ...(
      [
        'fullName',
        'title',
        'company',
        'email',
        'phone',
        'website',
        'linkedin',
        'bio',
        'offering',
        'seeking',
        'photo',
      ] as const
    ).map((field): [string, unknown] => [
      `{"$gt":""} as ${field}`,
      { ...valid, [field]: { $gt: '' } },
    ]),
  ];

  it.each(badInputs)(
    'rejects %s with 400 validation_failed and writes nothing',
    async (_label, body) => {
      const before = await stored();
      const res = await put(body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(await stored()).toEqual(before);
    },
  );

  it('rejects malformed JSON with 400 malformed_json and writes nothing', async () => {
    const before = await stored();
    const res = await requestJson(`${server.url}/api/me/card`, {
      method: 'PUT',
      headers: user.headers,
      rawBody: '{"fullName": "x"',
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: { code: 'malformed_json', message: 'The request body is not valid JSON.' },
    });
    expect(await stored()).toEqual(before);
  });

  it('requires a signed-in user and never touches another card', async () => {
    const other = await registerUser(server.url, { name: 'Other' });
    const before = await stored(other);
    const res = await requestJson(`${server.url}/api/me/card`, {
      method: 'PUT',
      body: { fullName: 'Intruder' },
    });
    expect(res.status).toBe(401);
    expect(await stored(other)).toEqual(before);
    const mine = await put({ fullName: 'Mine', userId: other.user.id });
    expect(mine.status).toBe(400);
    expect(await stored(other)).toEqual(before);
  });
});
