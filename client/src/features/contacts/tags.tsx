import type { ContactRating, ContactTag } from '../../../../shared/contacts';
import type { MessageKey } from '../../i18n/catalog';
import { useI18n } from '../../i18n/i18n';

/** Co-operation and competition always carry icon + word + colour, never colour alone. */
export const TAG_ICON: Record<ContactTag, string> = {
  cooperation: '🤝',
  competition: '♞',
  none: '○',
};

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

export const RATING_ICON: Record<ContactRating, string> = { hot: '🔥', warm: '☀', cold: '❄' };

export function TagChip({ tag }: { tag: ContactTag }) {
  const { t } = useI18n();
  return (
    <span className={`tag tag-${tag} tag-small`}>
      <span aria-hidden="true">{TAG_ICON[tag]}</span> {t(TAG_WORD[tag])}
    </span>
  );
}
