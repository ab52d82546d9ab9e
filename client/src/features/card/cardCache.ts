import type { CardDto } from '../../../../shared/card';

/** My own card, kept on the phone so the home screen is whole on a dead venue wifi. */
export const CARD_CACHE_KEY = 'coopetition.card';

export function readCachedCard(): CardDto | null {
  try {
    return JSON.parse(localStorage.getItem(CARD_CACHE_KEY) ?? 'null') as CardDto | null;
  } catch {
    return null;
  }
}

export function cacheCard(card: CardDto | null): void {
  if (card) localStorage.setItem(CARD_CACHE_KEY, JSON.stringify(card));
}
