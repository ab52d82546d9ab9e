import { Link } from 'react-router';
import type { ContactDto } from '../../../../shared/contacts';
import { useI18n } from '../../i18n/i18n';
import { initials } from '../card/visible';
import { RatingChip, TagChip } from './tags';

/** One contact in a list: who, where from, and how I tagged them. */
export function ContactRow({ contact }: { contact: ContactDto }) {
  const { formatDateTime } = useI18n();
  const { card } = contact;
  const role = [card.title, card.company].filter(Boolean).join(' · ');
  return (
    <li>
      <Link to={`/contacts/${contact.id}`} className="contact-row">
        {card.photo ? (
          <img className="avatar avatar-small" src={card.photo} alt="" width={48} height={48} />
        ) : (
          <span className="avatar avatar-small avatar-initials" aria-hidden="true">
            {initials(card.fullName)}
          </span>
        )}
        <span className="contact-row-text">
          <span className="contact-row-name">{card.fullName}</span>
          {role && <span className="contact-row-role">{role}</span>}
          <span className="contact-row-meta">
            {contact.tag !== 'none' && <TagChip tag={contact.tag} />}
            {contact.rating && <RatingChip rating={contact.rating} />}
            <time dateTime={contact.createdAt}>{formatDateTime(contact.createdAt)}</time>
          </span>
        </span>
      </Link>
    </li>
  );
}

export function ContactRowSkeleton() {
  return (
    <li className="contact-row contact-row-skeleton" aria-hidden="true">
      <span className="avatar avatar-small skeleton" />
      <span className="contact-row-text">
        <span className="skeleton skeleton-line" />
        <span className="skeleton skeleton-line skeleton-short" />
      </span>
    </li>
  );
}
