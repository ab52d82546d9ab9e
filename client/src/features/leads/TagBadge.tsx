import type { LeadRating, LeadTag } from '../../../../shared/leads';
import type { MessageKey } from '../../i18n/catalog';
import { useI18n } from '../../i18n/i18n';
import { TagIcon } from '../contacts/TagIcon';

export { TagIcon };

export const TAG_LABEL: Record<LeadTag, MessageKey> = {
  cooperation: 'leads.tag.cooperation',
  competition: 'leads.tag.competition',
  none: 'leads.tag.none',
};

export const RATING_LABEL: Record<LeadRating, MessageKey> = {
  hot: 'leads.rating.hot',
  warm: 'leads.rating.warm',
  cold: 'leads.rating.cold',
};

/** Icon + word + colour, never colour alone. */
export function TagBadge({ tag }: { tag: LeadTag }) {
  const { t } = useI18n();
  return (
    <span className={`tag tag-${tag} tag-small`}>
      <TagIcon tag={tag} size={16} /> {t(TAG_LABEL[tag])}
    </span>
  );
}

export function RatingBadge({ rating }: { rating: LeadRating | null }) {
  const { t } = useI18n();
  if (!rating) return null;
  return <span className={`rating lead-rating rating-${rating}`}>{t(RATING_LABEL[rating])}</span>;
}
