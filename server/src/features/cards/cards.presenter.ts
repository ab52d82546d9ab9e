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

export function photoDataUrl(photo: Card['photo'] | undefined): string | null {
  if (!photo || photo.length === 0) return null;
  return `${PHOTO_DATA_URL_PREFIX}${Buffer.from(photo).toString('base64')}`;
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
