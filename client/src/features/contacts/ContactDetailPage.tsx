import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import type { ContactDto } from '../../../../shared/contacts';
import { ApiError } from '../../api';
import { PageSkeleton } from '../../app/PageSkeleton';
import { errorMessage } from '../../app/validation';
import { useI18n } from '../../i18n/i18n';
import { useRealtimeEvent } from '../../realtime/useRealtime';
import { CardView } from '../card/CardView';
import { ContactQuickTag } from './ContactQuickTag';
import { TagIcon } from './TagIcon';
import { downloadContactVcard, getContact } from './contactsApi';

/** `/contacts/:contactId`: the card, quick actions, and my private tag, rating and note. */
export function ContactDetailPage() {
  const { t, formatDateTime } = useI18n();
  const { contactId = '' } = useParams();
  const [contact, setContact] = useState<ContactDto | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);

  const load = useCallback(() => {
    setError(null);
    getContact(contactId).then(setContact, setError);
  }, [contactId]);

  useEffect(load, [load]);
  useRealtimeEvent('resync', load);
  useRealtimeEvent('contact:updated', (payload) => {
    if (payload.contactId === contactId) setContact(payload.contact);
  });

  if (error && !contact) {
    const missing = error instanceof ApiError && error.status === 404;
    return (
      <section className="page page-centered">
        <h1>{missing ? t('contacts.notFound') : t('contacts.loadFailed')}</h1>
        {!missing && <p className="lead">{errorMessage(error, t)}</p>}
        {!missing && (
          <button type="button" className="button button-primary" onClick={load}>
            {t('common.retry')}
          </button>
        )}
        <Link className="button button-ghost" to="/contacts">
          {t('contacts.backToList')}
        </Link>
      </section>
    );
  }
  if (!contact) return <PageSkeleton rows={4} />;

  const { card } = contact;
  const saveToPhone = async () => {
    setSaving(true);
    setSaveError(null);
    try {
      await downloadContactVcard(contact);
    } catch (err) {
      setSaveError(errorMessage(err, t));
    } finally {
      setSaving(false);
    }
  };

  return (
    <section className="page contact-detail">
      <Link to="/contacts" className="back-link">
        <span aria-hidden="true">←</span> {t('contacts.backToList')}
      </Link>
      {contact.cooperationMatchedAt && (
        <p className="match-banner">
          <TagIcon tag="cooperation" size={22} /> {t('contacts.matched')}
        </p>
      )}
      <CardView card={card} headingLevel={1} />
      <div className="action-grid">
        {card.phone && (
          <a className="button button-ghost" href={`tel:${card.phone}`}>
            {t('contacts.call')}
          </a>
        )}
        {card.email && (
          <a className="button button-ghost" href={`mailto:${card.email}`}>
            {t('contacts.email')}
          </a>
        )}
        {card.website && (
          <a
            className="button button-ghost"
            href={card.website}
            target="_blank"
            rel="noopener noreferrer"
          >
            {t('contacts.website')} <span aria-hidden="true">↗</span>
          </a>
        )}
        <button
          type="button"
          className="button button-primary"
          onClick={() => void saveToPhone()}
          disabled={saving}
        >
          <span aria-hidden="true">⤓</span>{' '}
          {saving ? t('common.working') : t('contacts.saveToPhone')}
        </button>
      </div>
      {saveError && (
        <p className="form-error" role="alert">
          {saveError}
        </p>
      )}
      <section aria-labelledby="my-notes" className="panel">
        <h2 id="my-notes" className="section-title">
          {t('contacts.myNotes')}
        </h2>
        <p className="hint">{t('contacts.private')}</p>
        <ContactQuickTag contact={contact} onChange={setContact} showFollowUp />
      </section>
      <p className="hint">{t('contacts.metOn', { date: formatDateTime(contact.createdAt) })}</p>
    </section>
  );
}
