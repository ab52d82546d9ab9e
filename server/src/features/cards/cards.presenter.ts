import {
  CARD_VISIBILITY_FIELDS,
  DEFAULT_CARD_VISIBILITY,
  PHOTO_DATA_URL_PREFIX,
  type CardDto,
  type CardVisibility,
  type VisibleCardDto,
} from '../../../../shared/card';
import type { Card } from './cards.model';

/** The card fields the presenters read; a lean object or a document both fit. */
export type CardLike = Pick<
  Card,
  | 'fullName'
  | 'title'
  | 'company'
  | 'email'
  | 'phone'
  | 'website'
  | 'linkedin'
  | 'bio'
  | 'offering'
  | 'seeking'
  | 'photo'
> & { visibility?: Partial<CardVisibility> | null; updatedAt?: Date };

/**
 * The photo's bytes from a document (Buffer) or a lean read (BSON Binary, whose
 * `buffer` may be longer than its content: `position` is the length).
 */
function photoBytes(photo: unknown): Uint8Array | null {
  if (!photo || typeof photo !== 'object') return null;
  if (photo instanceof Uint8Array) return photo;
  const binary = photo as { _bsontype?: unknown; buffer?: unknown; position?: unknown };
  if (binary._bsontype === 'Binary' && binary.buffer instanceof Uint8Array) {
    const length = typeof binary.position === 'number' ? binary.position : binary.buffer.length;
    return binary.buffer.subarray(0, length);
  }
  return null;
}

export function photoDataUrl(photo: unknown): string | null {
  const bytes = photoBytes(photo);
  if (!bytes || bytes.length === 0) return null;
  return `${PHOTO_DATA_URL_PREFIX}${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')}`;
}

export function visibilityOf(card: Pick<CardLike, 'visibility'>): CardVisibility {
  const stored = card.visibility ?? {};
  const result = { ...DEFAULT_CARD_VISIBILITY };
  for (const field of CARD_VISIBILITY_FIELDS) {
    const value = stored[field];
    if (typeof value === 'boolean') result[field] = value;
  }
  return result;
}

/** My own card, every field, for the editor. */
export function presentCard(card: CardLike): CardDto {
  return {
    fullName: card.fullName,
    title: card.title ?? '',
    company: card.company ?? '',
    email: card.email ?? '',
    phone: card.phone ?? '',
    website: card.website ?? '',
    linkedin: card.linkedin ?? '',
    bio: card.bio ?? '',
    offering: card.offering ?? '',
    seeking: card.seeking ?? '',
    photo: photoDataUrl(card.photo),
    visibility: visibilityOf(card),
    updatedAt: (card.updatedAt ?? new Date(0)).toISOString(),
  };
}

/**
 * What other people see: the name plus each field the owner left visible and filled in;
 * the photo as a JPEG data URL. Contacts keep this as their snapshot.
 */
export function presentVisibleCard(card: CardLike): VisibleCardDto {
  const visibility = visibilityOf(card);
  const result: VisibleCardDto = { fullName: card.fullName };
  for (const field of CARD_VISIBILITY_FIELDS) {
    if (!visibility[field]) continue;
    if (field === 'photo') {
      const photo = photoDataUrl(card.photo);
      if (photo) result.photo = photo;
      continue;
    }
    const value = card[field];
    if (typeof value === 'string' && value !== '') result[field] = value;
  }
  return result;
}
