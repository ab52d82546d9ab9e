import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import type { EventMembershipResponse, MyEventsResponse } from '../../../../shared/events';
import { apiRequest } from '../../api';
import { useSession } from '../../app/session';
import { errorMessage } from '../../app/validation';
import { useI18n } from '../../i18n/i18n';
import { JoinCodeForm } from '../home/JoinCodeForm';

/** Which event this phone exchanges in (a tech week has many), and joining another. */
export function EventPicker() {
  const { t, locale } = useI18n();
  const { currentEventId, setCurrentEventId } = useSession();
  const [events, setEvents] = useState<EventMembershipResponse[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    apiRequest<MyEventsResponse>('/me/events').then(
      (res) => setEvents(res.items),
      (err: unknown) => setError(errorMessage(err, t)),
    );
  }, [t]);

  const day = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
  const organizing =
    events?.some(
      ({ event, membership }) => event.id === currentEventId && membership.role === 'organizer',
    ) ?? false;
  return (
    <div className="settings-group">
      <h2 className="section-label" id="settings-event">
        {t('settings.event')}
      </h2>
      {events === null && !error && <div className="skeleton skeleton-line" />}
      {error && <p className="form-error">{error}</p>}
      {events && events.length > 0 && (
        <label className="field">
          <span className="visually-hidden">{t('settings.event')}</span>
          <select
            aria-labelledby="settings-event"
            value={currentEventId ?? ''}
            onChange={(e) => setCurrentEventId(e.target.value || null)}
          >
            {!currentEventId && <option value="">{t('settings.noEvent')}</option>}
            {events.map(({ event }) => (
              <option key={event.id} value={event.id}>
                {event.name} · {day.format(new Date(event.startsAt))}
              </option>
            ))}
          </select>
        </label>
      )}
      {organizing && currentEventId && (
        <Link to={`/events/${encodeURIComponent(currentEventId)}/pulse`} className="settings-row">
          <span>
            <span className="settings-row-title">{t('organizer.pulseRow')}</span>
            <span className="settings-row-hint">{t('organizer.pulseRowHint')}</span>
          </span>
          <span aria-hidden="true">›</span>
        </Link>
      )}
      <details className="join-another">
        <summary>{t('settings.joinAnother')}</summary>
        <JoinCodeForm />
      </details>
    </div>
  );
}
