import type { CardDto, VisibleCardDto } from '../../../../shared/card';
import { useI18n } from '../../i18n/i18n';
import { displayUrl, initials, toVisibleCard } from './visible';

interface Props {
  /** My own card (shown as others will see it) or a received card. */
  card: CardDto | VisibleCardDto;
  /** Compact: the hero only (lists, previews). */
  compact?: boolean;
  /** Heading level of the name, so the page outline stays right. */
  headingLevel?: 1 | 2 | 3;
}

/** A business card: the person is the hero (photo or initials), then the details. */
export function CardView({ card, compact = false, headingLevel = 2 }: Props) {
  const { t } = useI18n();
  const c = toVisibleCard(card);
  const Heading = `h${headingLevel}` as const;
  const role = [c.title, c.company].filter(Boolean);
  return (
    <article className={compact ? 'card-view card-view-compact' : 'card-view'}>
      <div className="card-hero">
        {c.photo ? (
          <img className="avatar" src={c.photo} alt="" width={88} height={88} />
        ) : (
          <span className="avatar avatar-initials" aria-hidden="true">
            {initials(c.fullName) || '?'}
          </span>
        )}
        <div className="card-identity">
          <Heading className="card-name">{c.fullName || t('card.unnamed')}</Heading>
          {c.title && <p className="card-title">{c.title}</p>}
          {c.company && <p className="card-company">{c.company}</p>}
          {role.length === 0 && compact && <p className="card-title muted">—</p>}
        </div>
      </div>
      {!compact && (
        <>
          {(c.email || c.phone || c.website || c.linkedin) && (
            <ul className="card-links">
              {c.email && (
                <li>
                  <span className="card-label">{t('card.email')}</span>
                  <a href={`mailto:${c.email}`}>{c.email}</a>
                </li>
              )}
              {c.phone && (
                <li>
                  <span className="card-label">{t('card.phone')}</span>
                  <a href={`tel:${c.phone}`}>{c.phone}</a>
                </li>
              )}
              {c.website && (
                <li>
                  <span className="card-label">{t('card.website')}</span>
                  <a href={c.website} target="_blank" rel="noopener noreferrer">
                    {displayUrl(c.website)}
                  </a>
                </li>
              )}
              {c.linkedin && (
                <li>
                  <span className="card-label">{t('card.linkedin')}</span>
                  <a href={c.linkedin} target="_blank" rel="noopener noreferrer">
                    {displayUrl(c.linkedin)}
                  </a>
                </li>
              )}
            </ul>
          )}
          {c.bio && <p className="card-bio">{c.bio}</p>}
          {(c.offering || c.seeking) && (
            <dl className="card-pitch">
              {c.offering && (
                <div>
                  <dt>{t('card.offering')}</dt>
                  <dd>{c.offering}</dd>
                </div>
              )}
              {c.seeking && (
                <div>
                  <dt>{t('card.seeking')}</dt>
                  <dd>{c.seeking}</dd>
                </div>
              )}
            </dl>
          )}
        </>
      )}
    </article>
  );
}
