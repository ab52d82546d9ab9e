import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import type { EventMembershipResponse } from '../../../../shared/events';
import { JoinCodeSchema } from '../../../../shared/events';
import { apiRequest } from '../../api';
import { PageSkeleton } from '../../app/PageSkeleton';
import { useSession } from '../../app/session';
import { errorMessage } from '../../app/validation';
import { useI18n } from '../../i18n/i18n';
import { AuthForm } from './AuthForm';

/** `/join/:code`: one screen from an event link to an account in that event. */
export function JoinPage() {
  const { t } = useI18n();
  const { code = '' } = useParams();
  const navigate = useNavigate();
  const { status, setCurrentEventId } = useSession();
  const parsed = JoinCodeSchema.safeParse(code);
  const joinCode = parsed.success ? parsed.data : null;
  const [error, setError] = useState<string | null>(null);
  const joining = useRef(false);

  const join = useCallback(async () => {
    if (!joinCode || joining.current) return;
    joining.current = true;
    setError(null);
    try {
      const { event } = await apiRequest<EventMembershipResponse>('/events/join', {
        method: 'POST',
        body: { joinCode },
      });
      setCurrentEventId(event.id);
      await navigate('/card?welcome=1', { replace: true });
    } catch (err) {
      setError(errorMessage(err, t));
    } finally {
      joining.current = false;
    }
  }, [joinCode, navigate, setCurrentEventId, t]);

  // Already signed in (second event of the week): join straight away.
  useEffect(() => {
    if (status === 'signedIn' && !error) void join();
  }, [status, join, error]);

  if (!joinCode) {
    return (
      <section className="page page-centered">
        <h1>{t('join.badCodeTitle')}</h1>
        <p className="lead">{t('validation.joinCode')}</p>
        <Link className="button button-primary" to="/">
          {t('join.typeCode')}
        </Link>
      </section>
    );
  }

  if (status === 'loading') return <PageSkeleton />;

  if (status === 'signedIn') {
    return (
      <section className="page page-centered">
        {error ? (
          <>
            <h1>{t('join.failedTitle')}</h1>
            <p className="form-error" role="alert">
              {error}
            </p>
            <button type="button" className="button button-primary" onClick={() => void join()}>
              {t('common.retry')}
            </button>
            <Link className="button button-ghost" to="/">
              {t('notFound.back')}
            </Link>
          </>
        ) : (
          <p aria-live="polite">{t('join.joining', { code: joinCode })}</p>
        )}
      </section>
    );
  }

  return (
    <section className="page">
      <div className="page-header">
        <p className="eyebrow">{t('join.eyebrow', { code: joinCode })}</p>
        <h1>{t('join.title')}</h1>
        <p className="hint">{t('join.lead')}</p>
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <AuthForm
        initialMode="register"
        onSignedIn={join}
        submitLabel={(mode) =>
          mode === 'register' ? t('join.submitRegister') : t('join.submitLogin')
        }
      />
    </section>
  );
}
