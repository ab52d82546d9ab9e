import type { ContactRating, ContactTag } from '../../../../shared/contacts';
import type { MessageKey } from '../../i18n/catalog';
import { useI18n } from '../../i18n/i18n';
import { TagIcon } from './TagIcon';

/** Co-operation and competition always carry icon + word + colour, never colour alone. */
export const TAG_WORD: Record<ContactTag, MessageKey> = {
  cooperation: 'contacts.tag.cooperation',
  competition: 'contacts.tag.competition',
  none: 'contacts.tag.none',
};

export const RATING_WORD: Record<ContactRating, MessageKey> = {
  hot: 'contacts.rating.hot',
  warm: 'contacts.rating.warm',
  cold: 'contacts.rating.cold',
};

export function TagChip({ tag }: { tag: ContactTag }) {
  const { t } = useI18n();
  return (
    <span className={`tag tag-${tag} tag-small`}>
      <TagIcon tag={tag} size={16} /> {t(TAG_WORD[tag])}
    </span>
  );
}

export function RatingChip({ rating }: { rating: ContactRating }) {
  const { t } = useI18n();
  return <span className={`rating rating-${rating}`}>{t(RATING_WORD[rating])}</span>;
}
