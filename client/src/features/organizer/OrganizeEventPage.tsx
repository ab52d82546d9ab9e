import { useMemo, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import type { z } from 'zod';
import {
  EVENT_LIMITS,
  EventCreateSchema,
  type EventDto,
  type EventResponse,
} from '../../../../shared/events';
import { apiRequest } from '../../api';
import { useSession } from '../../app/session';
import { errorMessage, issueMessage, type FieldErrors } from '../../app/validation';
import { useI18n, type Translate } from '../../i18n/i18n';
import { browserTimeZone, timeZones, zonedToIso } from './zonedTime';
import './organizer.css';
import { FieldError, invalidProps } from '../../app/FieldError';

const DATE_FIELDS = new Set(['startsAt', 'endsAt']);

/** The shared schema speaks English to API clients; the form says it in the person's words. */
function eventIssueMessage(issue: z.core.$ZodIssue, t: Translate): string {
  const field = String(issue.path[0] ?? '');
  if (field === 'endsAt' && issue.code === 'custom') {
    return issue.message.includes(String(EVENT_LIMITS.maxDurationDays))
      ? t('organizer.tooLong', { days: EVENT_LIMITS.maxDurationDays })
      : t('organizer.endAfterStart');
  }
  if (DATE_FIELDS.has(field)) return t('organizer.invalidDate');
  return issueMessage(issue, t);
}

/** `/events/new`: an organizer creates an event and gets the code people join with. */
export function OrganizeEventPage() {
  const { t } = useI18n();
  const { setCurrentEventId } = useSession();
  const defaultZone = useMemo(browserTimeZone, []);
  const zones = useMemo(() => timeZones(defaultZone), [defaultZone]);
  const [name, setName] = useState('');
  const [venue, setVenue] = useState('');
  const [startsAt, setStartsAt] = useState('');
  const [endsAt, setEndsAt] = useState('');
  const [timezone, setTimezone] = useState(defaultZone);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<EventDto | null>(null);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setFormError(null);
    const start = zonedToIso(startsAt, timezone);
    const end = zonedToIso(endsAt, timezone);
    const result = EventCreateSchema.safeParse({
      name,
      venue: venue.trim() ? venue : undefined,
      startsAt: start,
      endsAt: end,
      timezone,
    });
    if (!result.success) {
      const next: FieldErrors = {};
      for (const issue of result.error.issues) {
        next[String(issue.path[0] ?? '_form')] ??= eventIssueMessage(issue, t);
      }
      // The schema checks the order only once every field is valid; say it at once.
      if (start && end && Date.parse(end) <= Date.parse(start)) {
        next.endsAt ??= t('organizer.endAfterStart');
      }
      setErrors(next);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const { event } = await apiRequest<EventResponse>('/events', {
        method: 'POST',
        body: result.data,
      });
      setCurrentEventId(event.id);
      setCreated(event);
    } catch (err) {
      setFormError(errorMessage(err, t));
    } finally {
      setBusy(false);
    }
  };

  const field = (key: string) => invalidProps('organizer', errors, key);
  const fieldError = (key: string) =>
    errors[key] ? <FieldError form="organizer" name={key} errors={errors} /> : undefined;

  if (created) {
    return (
      <EventCreated
        event={created}
        onAnother={() => {
          setCreated(null);
          setName('');
          setVenue('');
          setStartsAt('');
          setEndsAt('');
        }}
      />
    );
  }

  return (
    <section className="page organizer">
      <div className="page-header">
        <h1>{t('organizer.title')}</h1>
        <p className="hint">{t('organizer.lead')}</p>
      </div>
      <form className="form" onSubmit={onSubmit} noValidate>
        <label className="field">
          <span>{t('organizer.name')}</span>
          <input
            name="name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={EVENT_LIMITS.name}
            placeholder={t('organizer.namePlaceholder')}
            autoComplete="off"
            {...field('name')}
          />
          {fieldError('name')}
        </label>
        <label className="field">
          <span>{t('organizer.venue')}</span>
          <input
            name="venue"
            value={venue}
            onChange={(e) => setVenue(e.target.value)}
            maxLength={EVENT_LIMITS.venue}
            placeholder={t('organizer.venuePlaceholder')}
            autoComplete="off"
            {...field('venue')}
          />
          {fieldError('venue')}
        </label>
        <div className="organizer-dates">
          <label className="field">
            <span>{t('organizer.startsAt')}</span>
            <input
              name="startsAt"
              type="datetime-local"
              value={startsAt}
              onChange={(e) => setStartsAt(e.target.value)}
              {...field('startsAt')}
            />
            {fieldError('startsAt')}
          </label>
          <label className="field">
            <span>{t('organizer.endsAt')}</span>
            <input
              name="endsAt"
              type="datetime-local"
              value={endsAt}
              min={startsAt || undefined}
              onChange={(e) => setEndsAt(e.target.value)}
              {...field('endsAt')}
            />
            {fieldError('endsAt')}
          </label>
        </div>
        <label className="field">
          <span>{t('organizer.timezone')}</span>
          <select
            name="timezone"
            value={timezone}
            onChange={(e) => setTimezone(e.target.value)}
            {...field('timezone')}
          >
            {zones.map((zone) => (
              <option key={zone} value={zone}>
                {zone.replace(/_/g, ' ')}
              </option>
            ))}
          </select>
          {fieldError('timezone') ?? (
            <span className="field-hint">{t('organizer.timezoneHint')}</span>
          )}
        </label>
        {formError && (
          <p className="form-error" role="alert">
            {formError}
          </p>
        )}
        <div className="bottom-actions">
          <button type="submit" className="button button-primary button-large" disabled={busy}>
            {busy ? t('common.working') : t('organizer.submit')}
          </button>
        </div>
      </form>
    </section>
  );
}

/** After creating: the code large enough to read out, the link, and where to go next. */
function EventCreated({ event, onAnother }: { event: EventDto; onAnother: () => void }) {
  const { t, formatDateTime } = useI18n();
  const [message, setMessage] = useState<string | null>(null);
  const url = `${location.origin}/join/${event.joinCode}`;
  const canShare = typeof navigator.share === 'function';

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setMessage(t('organizer.copied'));
    } catch {
      setMessage(t('organizer.copyFailed'));
    }
  };

  const share = async () => {
    try {
      await navigator.share({ title: t('organizer.shareTitle', { name: event.name }), url });
    } catch {
      // Share sheet dismissed: the link stays on screen to copy.
    }
  };

  return (
    <section className="page organizer">
      <div className="page-header">
        <h1>{t('organizer.created')}</h1>
        <p className="hint">{t('organizer.createdLead')}</p>
      </div>
      <div className="panel organizer-created">
        <h2>{event.name}</h2>
        <p className="hint">
          {[event.venue, formatDateTime(event.startsAt)].filter(Boolean).join(' · ')}
        </p>
        <p className="section-label" id="organizer-code-label">
          {t('organizer.code')}
        </p>
        <p
          className="event-join-code"
          aria-labelledby="organizer-code-label"
          data-testid="join-code"
        >
          {event.joinCode}
        </p>
        <p className="section-label">{t('organizer.link')}</p>
        <p className="event-join-url">
          <a href={url}>{url}</a>
        </p>
        <div className="button-row">
          <button type="button" className="button button-ghost" onClick={() => void copy()}>
            {t('organizer.copy')}
          </button>
          {canShare && (
            <button type="button" className="button button-ghost" onClick={() => void share()}>
              {t('organizer.share')}
            </button>
          )}
        </div>
        <p className="hint" role="status">
          {message}
        </p>
      </div>
      <div className="bottom-actions">
        <Link
          to={`/events/${encodeURIComponent(event.id)}/pulse`}
          className="button button-primary button-large"
        >
          {t('organizer.openPulse')}
        </Link>
        <button type="button" className="button button-ghost" onClick={onAnother}>
          {t('organizer.another')}
        </button>
      </div>
    </section>
  );
}
