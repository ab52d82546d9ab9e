import { useEffect, useState } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import type { MyEventsResponse } from '../../../../shared/events';
import { apiRequest } from '../../api';
import { PageSkeleton } from '../../app/PageSkeleton';
import { useSession } from '../../app/session';
import { useI18n } from '../../i18n/i18n';
import { AuthForm } from './AuthForm';

/** Only same-site paths: `?next=` must not send people to another site. */
function safeNext(value: string | null): string {
  return value && value.startsWith('/') && !value.startsWith('//') ? value : '/';
}

/** `/login` for returning people; picks up their latest event if this phone forgot it. */
export function LoginPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const { status, currentEventId, setCurrentEventId, resume } = useSession();
  const [resuming, setResuming] = useState(status === 'signedOut');

  // The session cookie may outlive what this phone remembers: try it before a password.
  useEffect(() => {
    if (!resuming) return;
    let live = true;
    void resume().finally(() => {
      if (live) setResuming(false);
    });
    return () => {
      live = false;
    };
  }, [resuming, resume]);

  if (status === 'signedIn') return <Navigate to={next} replace />;
  if (resuming || status === 'loading') return <PageSkeleton />;

  const afterSignIn = async () => {
    if (!currentEventId) {
      try {
        const { items } = await apiRequest<MyEventsResponse>('/me/events');
        const now = Date.now();
        // The event on now, else the next one, else the latest past one.
        const ongoing = items.find((i) => Date.parse(i.event.endsAt) >= now) ?? items.at(-1);
        if (ongoing) setCurrentEventId(ongoing.event.id);
      } catch {
        // Not fatal: home offers to join an event.
      }
    }
    await navigate(next, { replace: true });
  };

  return (
    <section className="page">
      <div className="page-header">
        <h1>{t('login.title')}</h1>
        <p className="hint">{t('login.lead')}</p>
      </div>
      <AuthForm initialMode="login" onSignedIn={afterSignIn} />
      <p className="hint center">
        <Link to="/">{t('login.joinInstead')}</Link>
      </p>
    </section>
  );
}
