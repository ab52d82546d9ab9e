import type { CardDto, VisibleCardDto } from '../../../../shared/card';
import { CARD_VISIBILITY_FIELDS } from '../../../../shared/card';

/** The card as others receive it: hidden and empty fields left out. */
export function toVisibleCard(card: CardDto | VisibleCardDto): VisibleCardDto {
  if (!('visibility' in card)) return card;
  const visible: VisibleCardDto = { fullName: card.fullName };
  for (const field of CARD_VISIBILITY_FIELDS) {
    const value = card[field];
    if (card.visibility[field] && value) visible[field] = value;
  }
  return visible;
}

/** Up to two initials, accents kept ("Élodie Durand-Brun" → "ÉD"). */
export function initials(fullName: string): string {
  const parts = fullName.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0], parts.at(-1)] : parts;
  return letters
    .map((p) => Array.from(p ?? '')[0] ?? '')
    .join('')
    .toLocaleUpperCase();
}

/** "https://www.example.com/path/" → "example.com/path" for display. */
export function displayUrl(url: string): string {
  return url.replace(/^https?:\/\/(www\.)?/i, '').replace(/\/$/, '');
}
