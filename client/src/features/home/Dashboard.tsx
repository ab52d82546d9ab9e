import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import type { MeResponse } from '../../../../shared/auth';
import type { CardDto } from '../../../../shared/card';
import { apiRequest } from '../../api';
import { useSession } from '../../app/session';
import { useI18n } from '../../i18n/i18n';
import { cacheCard, readCachedCard } from '../card/cardCache';
import { CardView } from '../card/CardView';
import { ContactRow, ContactRowSkeleton } from '../contacts/ContactRow';
import { useContactList } from '../contacts/useContactList';
import { errorMessage } from '../../app/validation';
import { JoinCodeForm } from './JoinCodeForm';
import { useCurrentEvent } from './useCurrentEvent';

/** Signed-in home: my card, the current event, recent contacts, and the two big buttons. */
export function Dashboard() {
  const { t } = useI18n();
  const { user } = useSession();
  const { event } = useCurrentEvent();
  const [card, setCard] = useState<CardDto | null | undefined>(undefined);
  const recent = useContactList({}, 3);

  useEffect(() => {
    apiRequest<MeResponse>('/me').then(
      (me) => {
        setCard(me.card);
        cacheCard(me.card);
      },
      () => setCard(readCachedCard()),
    );
  }, []);

  return (
    <section className="page dashboard">
      <div className="page-header">
        {event ? <p className="eyebrow event-name">{event.name}</p> : null}
        <h1>{t('dashboard.hello', { name: user?.name.split(' ')[0] ?? '' })}</h1>
      </div>

      {!event && (
        <div className="panel">
          <p className="hint">{t('dashboard.noEvent')}</p>
          <JoinCodeForm />
        </div>
      )}

      <section aria-labelledby="my-card-heading">
        <div className="section-head">
          <h2 id="my-card-heading" className="section-label">
            {t('dashboard.myCard')}
          </h2>
          <Link to="/card" className="text-link">
            {t('card.edit')}
          </Link>
        </div>
        {card === undefined ? (
          <div className="skeleton skeleton-card" />
        ) : card ? (
          <Link to="/card" className="card-link" aria-label={t('card.editorTitle')}>
            <CardView card={card} compact headingLevel={3} />
          </Link>
        ) : (
          <Link to="/card" className="button button-ghost">
            {t('dashboard.makeCard')}
          </Link>
        )}
      </section>

      <section aria-labelledby="recent-heading">
        <div className="section-head">
          <h2 id="recent-heading" className="section-label">
            {t('dashboard.recent')}
          </h2>
          {recent.items.length > 0 && (
            <Link to="/contacts" className="text-link">
              {t('dashboard.seeAll')}
            </Link>
          )}
        </div>
        {recent.status === 'loading' ? (
          <ul className="contact-list">
            <ContactRowSkeleton />
            <ContactRowSkeleton />
          </ul>
        ) : recent.items.length > 0 ? (
          <ul className="contact-list">
            {recent.items.map((c) => (
              <ContactRow key={c.id} contact={c} />
            ))}
          </ul>
        ) : recent.status === 'error' ? (
          <p className="hint">{errorMessage(recent.error, t)}</p>
        ) : (
          <p className="hint">{t('dashboard.noContacts')}</p>
        )}
      </section>

      <div className="exchange-actions">
        <Link to="/code" className="button button-primary button-huge">
          <svg viewBox="0 0 24 24" width="28" height="28" aria-hidden="true">
            <path d="M3 3h7v7H3zm2 2v3h3V5zm9-2h7v7h-7zm2 2v3h3V5zM3 14h7v7H3zm2 2v3h3v-3zm9-2h3v3h-3zm3 3h4v4h-4zm-3 1h2v3h-2z" />
          </svg>
          {t('dashboard.myCode')}
        </Link>
        <Link to="/scan" className="button button-secondary button-huge">
          <svg viewBox="0 0 24 24" width="28" height="28" aria-hidden="true">
            <path d="M3 8V3h5v2H5v3zm13-5h5v5h-2V5h-3zM3 16h2v3h3v2H3zm16 0h2v5h-5v-2h3zM7 11h10v2H7z" />
          </svg>
          {t('dashboard.scan')}
        </Link>
      </div>
    </section>
  );
}
