import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError } from '../../api';
import { useI18n } from '../../i18n/i18n';
import { formatInviteCode } from './InvitePanel';
import { teamsApi } from './teamsApi';
import { errorMessageKey } from './useLoad';
import './teams.css';

/** `/teams/join/:code`: an invite link lands here; one tap joins the team. */
export function JoinTeamPage() {
  const { t } = useI18n();
  const { code = '' } = useParams();
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const onJoin = async () => {
    setBusy(true);
    setError(null);
    try {
      const { team } = await teamsApi.join({ code });
      void navigate(`/teams/${team.id}`, { replace: true });
    } catch (err) {
      const invalid = err instanceof ApiError && (err.status === 400 || err.status === 404);
      setError(invalid ? t('teams.join.invalid') : t(errorMessageKey(err)));
      setBusy(false);
    }
  };

  return (
    <section className="page page-centered join-team">
      <h1>{t('teams.join.title')}</h1>
      <p className="lead">{t('teams.join.lead')}</p>
      <p className="invite-code" aria-label={t('teams.invite.code')}>
        {formatInviteCode(code)}
      </p>
      {error && (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      )}
      <div className="bottom-actions">
        <button
          type="button"
          className="button button-primary button-large"
          onClick={() => void onJoin()}
          disabled={busy}
        >
          {t('teams.join.submit')}
        </button>
        <Link to="/teams" className="button button-ghost">
          {t('teams.join.cancel')}
        </Link>
      </div>
    </section>
  );
}
