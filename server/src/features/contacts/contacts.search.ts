import { Types } from 'mongoose';
import type { VisibleCardDto } from '../../../../shared/card';
import { ValidationError } from '../../errors';

/** Letters that do not decompose under NFD but that people type without the mark. */
const FOLDS: Record<string, string> = {
  ø: 'o',
  æ: 'ae',
  œ: 'oe',
  ß: 'ss',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};

/** Lower case without accents: "Éloïse Müller-Ørsted" → "eloise muller-orsted". */
export function foldText(value: string): string {
  return value
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[øæœßłđðþı]/g, (ch) => FOLDS[ch] ?? ch);
}

/** What the contact search matches: the name, company and title of the card received. */
export function searchTextOf(card: VisibleCardDto): string {
  return foldText([card.fullName, card.company ?? '', card.title ?? ''].join('\n'));
}

/** A user's search as a literal, accent- and case-insensitive regex source. */
export function searchPattern(q: string): string {
  return foldText(q).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface ContactCursor {
  createdAt: Date;
  id: Types.ObjectId;
}

/** Opaque, URL-safe cursor: the sort key of the last item returned. */
export function encodeCursor(createdAt: Date, id: Types.ObjectId | string): string {
  return Buffer.from(`${createdAt.getTime()}.${String(id)}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): ContactCursor {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^(\d{1,15})\.([0-9a-f]{24})$/.exec(decoded);
  if (!match?.[1] || !match[2]) {
    throw new ValidationError('The request is not valid.', [
      { path: 'cursor', message: 'cursor is not valid.' },
    ]);
  }
  return { createdAt: new Date(Number(match[1])), id: new Types.ObjectId(match[2]) };
}
