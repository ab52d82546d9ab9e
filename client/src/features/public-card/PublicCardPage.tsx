import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import type { PublicCardResponse } from '../../../../shared/exchange';
import { ApiError, apiRequest } from '../../api';
import { PageSkeleton } from '../../app/PageSkeleton';
import { errorMessage } from '../../app/validation';
import { useI18n } from '../../i18n/i18n';
import { CardView } from '../card/CardView';

/**
 * `/x/:token`: what a phone's own camera opens from a QR code. No account needed: the
 * card, a button to save it, and a way into the event to exchange back.
 */
export function PublicCardPage() {
  const { t } = useI18n();
  const { token = '' } = useParams();
  const [data, setData] = useState<PublicCardResponse | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let cancelled = false;
    setError(null);
    apiRequest<PublicCardResponse>(`/x/${encodeURIComponent(token)}`, { anonymous: true }).then(
      (res) => !cancelled && setData(res),
      (err: unknown) => !cancelled && setError(err),
    );
    return () => {
      cancelled = true;
    };
  }, [token, attempt]);

  if (error) {
    const code = error instanceof ApiError ? error.code : null;
    const gone = code === 'code_expired' || code === 'code_invalid';
    return (
      <section className="page page-centered public-card">
        <svg
          className="empty-icon"
          viewBox="0 0 24 24"
          width="56"
          height="56"
          aria-hidden="true"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.8"
          strokeLinecap="round"
        >
          <circle cx="12" cy="12" r="9" />
          <path d="M12 7v5l3 2" />
        </svg>
        <h1>
          {code === 'code_expired'
            ? t('public.expiredTitle')
            : gone
              ? t('public.invalidTitle')
              : t('public.loadFailed')}
        </h1>
        <p className="lead">{gone ? t('public.expiredLead') : errorMessage(error, t)}</p>
        {!gone && (
          <button
            type="button"
            className="button button-primary"
            onClick={() => setAttempt((n) => n + 1)}
          >
            {t('common.retry')}
          </button>
        )}
        <Link className="button button-ghost" to="/">
          {t('public.aboutApp')}
        </Link>
      </section>
    );
  }
  if (!data) return <PageSkeleton rows={3} />;

  const joinTo = data.event.joinCode ? `/join/${encodeURIComponent(data.event.joinCode)}` : '/';
  return (
    <section className="page public-card">
      <p className="eyebrow">{t('public.metAt', { event: data.event.name })}</p>
      <CardView card={data.card} headingLevel={1} />
      <div className="bottom-actions">
        <a
          className="button button-primary button-large"
          href={`/api/x/${encodeURIComponent(token)}/vcard`}
          download
        >
          <span aria-hidden="true">⤓</span> {t('public.save')}
        </a>
        <Link className="button button-ghost button-large" to={joinTo}>
          {t('public.joinBack')}
        </Link>
        <p className="hint center">{t('public.joinHint')}</p>
      </div>
    </section>
  );
}
