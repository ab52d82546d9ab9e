import { randomBytes } from 'node:crypto';
import { parse as parseCsv } from 'csv-parse/sync';
import VCard from 'vcf';
import { describe, expect, it } from 'vitest';
import type { VisibleCardDto } from '../../shared/card';
import type { ContactDto } from '../../shared/contacts';
import { CSV_COLUMNS } from '../../shared/exports';
import { contactCsvRow, csvCell, csvHeader } from '../../server/src/features/exports/csv';
import { attachment } from '../../server/src/features/exports/filename';
import { cardToVCard } from '../../server/src/features/exports/vcard';

const NAME = 'Éloïse Müller-Ørsted';
const photoBase64 = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
  randomBytes(3000),
]).toString('base64');

const CARD: VisibleCardDto = {
  fullName: NAME,
  title: 'Directrice, R&D; produit',
  company: "L'Atelier Coopétition",
  email: 'eloise@example.fr',
  phone: '+33612345678',
  website: 'https://atelier.example.fr/équipe',
  linkedin: 'https://www.linkedin.com/in/eloise',
  photo: `data:image/jpeg;base64,${photoBase64}`,
};

/** vCard 3.0 text unescaping (the parser leaves values as they are on the wire). */
const unescape = (value: string) =>
  value.replace(/\\([\\;,nN])/g, (_m, c: string) => (c === 'n' || c === 'N' ? '\n' : c));

function single(text: string): VCard {
  const cards = VCard.parse(text);
  expect(cards).toHaveLength(1);
  return cards[0] as VCard;
}
const value = (card: VCard, key: string): string => {
  const prop = card.get(key);
  if (!prop) return '';
  return (Array.isArray(prop) ? prop.map((p) => p.valueOf()).join('|') : prop.valueOf()) as string;
};

describe('vCard export', () => {
  it('writes a vCard 3.0 an independent parser reads back exactly, accents intact', () => {
    const note = 'Met at the stand; wants a demo, call back.\nSecond line \\ with a backslash';
    const text = cardToVCard(CARD, {
      uid: 'coopetition-0123456789abcdef01234567',
      tag: 'cooperation',
      note,
    });
    expect(text.startsWith('BEGIN:VCARD\r\nVERSION:3.0\r\n')).toBe(true);
    const card = single(text);
    expect(value(card, 'version')).toBe('3.0');
    expect(unescape(value(card, 'fn'))).toBe(NAME);
    expect(value(card, 'n')).toBe('Müller-Ørsted;Éloïse;;;');
    expect(unescape(value(card, 'org'))).toBe("L'Atelier Coopétition");
    expect(unescape(value(card, 'title'))).toBe('Directrice, R&D; produit');
    expect(value(card, 'email')).toBe('eloise@example.fr');
    expect(value(card, 'tel')).toBe('+33612345678');
    expect(value(card, 'url')).toBe('https://atelier.example.fr/%C3%A9quipe');
    expect(value(card, 'categories')).toBe('Co-operation');
    expect(unescape(value(card, 'note'))).toBe(note);
    expect(value(card, 'uid')).toBe('coopetition-0123456789abcdef01234567');
    expect(value(card, 'photo').replace(/\s/g, '')).toBe(photoBase64);
    // Lines are folded at 75 octets without splitting a UTF-8 character.
    for (const line of text.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
  });

  it('carries the competition tag, and none for untagged contacts', () => {
    expect(value(single(cardToVCard(CARD, { tag: 'competition' })), 'categories')).toBe(
      'Competition',
    );
    expect(single(cardToVCard(CARD, { tag: 'none' })).get('categories')).toBeUndefined();
  });

  it('cannot be made to inject properties through any field', () => {
    const evil: VisibleCardDto = {
      fullName: 'Eve\r\nX-EVIL:name',
      title: 'CEO\nX-EVIL:title',
      company: 'ACME\rX-EVIL:org',
      email: 'eve@example.org\r\nX-EVIL:email',
      phone: '+33\r\nX-EVIL:1',
      website: 'https://evil.example.org/\r\nX-EVIL:url',
      linkedin: 'javascript:alert(1)',
      bio: 'bio\u2028X-EVIL:bio',
      photo: 'data:image/jpeg;base64,/9j/\r\nX-EVIL:photo',
    };
    const text = cardToVCard(evil, {
      uid: 'x\r\nX-EVIL:uid',
      tag: 'cooperation',
      note: 'n\r\nX-EVIL:note',
    });
    const card = single(text);
    expect(Object.keys(card.data).filter((key) => key.startsWith('x-evil'))).toEqual([]);
    expect(text).not.toMatch(/\r\nX-EVIL/i);
    expect(text).not.toContain('javascript:');
    expect(card.get('email')).toBeUndefined();
    expect(value(card, 'tel')).toBe('+331');
  });
});

describe('CSV export', () => {
  const contact = (card: Partial<VisibleCardDto>, extra: Partial<ContactDto> = {}): ContactDto => ({
    id: '0123456789abcdef01234567',
    otherUserId: '0123456789abcdef01234568',
    card: { fullName: NAME, ...card },
    eventIds: ['0123456789abcdef01234569'],
    tag: 'cooperation',
    rating: 'hot',
    note: 'Line one, "quoted"\nLine two',
    followUp: { done: false, dueAt: '2026-12-05T09:00:00.000Z' },
    cooperationMatchedAt: null,
    createdAt: '2026-12-01T18:00:00.000Z',
    updatedAt: '2026-12-01T18:00:00.000Z',
    ...extra,
  });

  it('has a BOM, a header row and RFC 4180 quoting that csv-parse reads back exactly', () => {
    const text =
      csvHeader() +
      contactCsvRow(
        contact({ company: 'Vélo, Cie', phone: '+33612345678' }),
        new Map([['0123456789abcdef01234569', 'Nuit de la coopétition']]),
      );
    expect(text.startsWith('\uFEFF')).toBe(true);
    const rows = parseCsv(text, { bom: true }) as string[][];
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    const row = Object.fromEntries(CSV_COLUMNS.map((column, i) => [column, rows[1]?.[i]]));
    expect(row['Full name']).toBe(NAME);
    expect(row.Company).toBe('Vélo, Cie');
    expect(row.Tag).toBe('Co-operation');
    expect(row.Rating).toBe('hot');
    expect(row.Note).toBe('Line one, "quoted"\nLine two');
    expect(row.Events).toBe('Nuit de la coopétition');
    expect(row['Follow-up done']).toBe('no');
    // A leading + would be read as a formula: kept as text.
    expect(row.Phone).toBe("'+33612345678");
  });

  it.each([
    ['=HYPERLINK("https://evil.example","click")'],
    ['+1+cmd|" /C calc"!A0'],
    ['-2+3'],
    ['@SUM(A1:A9)'],
    ['\t=1+1'],
    ['\r=1+1'],
  ])('neutralises a formula in a cell: %j', (formula) => {
    const cell = csvCell(formula);
    const parsed = parseCsv(`${cell}\r\n`) as string[][];
    expect(parsed[0]?.[0]).toBe(`'${formula}`);
  });

  it('neutralises a formula typed as a name in a full export row', () => {
    const text =
      csvHeader() + contactCsvRow(contact({ fullName: '=cmd|" /C calc"!A0' }), new Map());
    const rows = parseCsv(text, { bom: true }) as string[][];
    expect(rows[1]?.[0]).toBe(`'=cmd|" /C calc"!A0`);
  });
});

describe('attachment filenames', () => {
  it('gives an ASCII fallback and the exact UTF-8 name', () => {
    expect(attachment(`${NAME}.vcf`)).toBe(
      `attachment; filename="Eloise Muller-Orsted.vcf"; filename*=UTF-8''${encodeURIComponent(`${NAME}.vcf`)}`,
    );
    expect(attachment('"; evil=1\r\n.vcf')).toBe(
      `attachment; filename="evil1.vcf"; filename*=UTF-8''%22%3B%20evil%3D1%0D%0A.vcf`,
    );
    expect(attachment('李雷.vcf')).toMatch(
      /^attachment; filename="contact\.vcf"; filename\*=UTF-8''%E6/,
    );
  });
});
