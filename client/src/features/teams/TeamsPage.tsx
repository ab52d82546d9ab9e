import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { TEAM_LIMITS } from '../../../../shared/teams';
import { useI18n } from '../../i18n/i18n';
import { teamsApi } from './teamsApi';
import { errorMessageKey, useLoad } from './useLoad';
import './teams.css';

/** `/teams`: the teams I belong to, create one, or join one with a code. */
export function TeamsPage() {
  const { t, locale } = useI18n();
  const navigate = useNavigate();
  const teams = useLoad('mine', (signal) => teamsApi.mine(signal));
  const [name, setName] = useState('');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState<'create' | 'join' | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const count = new Intl.NumberFormat(locale);

  const onCreate = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return;
    setBusy('create');
    setFormError(null);
    try {
      const { team } = await teamsApi.create({ name: name.trim() });
      void navigate(`/teams/${team.id}`);
    } catch (err) {
      setFormError(t(errorMessageKey(err)));
      setBusy(null);
    }
  };

  const onJoin = (e: FormEvent) => {
    e.preventDefault();
    const cleaned = code.replace(/[\s-]/g, '').toUpperCase();
    if (cleaned) void navigate(`/teams/join/${encodeURIComponent(cleaned)}`);
  };

  return (
    <section className="page teams-page">
      <h1>{t('teams.title')}</h1>
      <p className="hint">{t('teams.lead')}</p>

      {teams.status === 'loading' && !teams.data && (
        <ul className="team-list" aria-busy="true" aria-label={t('teams.loading')}>
          <li className="skeleton skeleton-row" />
          <li className="skeleton skeleton-row" />
        </ul>
      )}
      {teams.status === 'error' && (
        <div className="notice notice-error" role="alert">
          <p>{t(errorMessageKey(teams.error))}</p>
          <button type="button" className="button button-ghost" onClick={teams.reload}>
            {t('teams.retry')}
          </button>
        </div>
      )}
      {teams.data && teams.data.items.length === 0 && (
        <p className="empty-note">{t('teams.empty')}</p>
      )}
      {teams.data && teams.data.items.length > 0 && (
        <ul className="team-list">
          {teams.data.items.map((team) => (
            <li key={team.id}>
              <Link className="team-row" to={`/teams/${team.id}/leads`}>
                <span className="team-row-name">{team.name}</span>
                <span className="team-row-meta">
                  {t(team.role === 'owner' ? 'teams.role.owner' : 'teams.role.member')} ·{' '}
                  {t('teams.memberCount', { count: count.format(team.memberCount) })}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}

      <form className="panel" onSubmit={onCreate}>
        <h2>{t('teams.create.title')}</h2>
        <label className="field">
          <span>{t('teams.create.name')}</span>
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={TEAM_LIMITS.name}
            placeholder={t('teams.create.placeholder')}
            required
          />
        </label>
        <button type="submit" className="button button-primary" disabled={busy !== null}>
          {t('teams.create.submit')}
        </button>
      </form>

      <form className="panel" onSubmit={onJoin}>
        <h2>{t('teams.joinCode.title')}</h2>
        <label className="field">
          <span>{t('teams.joinCode.label')}</span>
          <input
            value={code}
            onChange={(e) => setCode(e.target.value)}
            autoCapitalize="characters"
            autoComplete="off"
            maxLength={20}
            placeholder="ABCD-EFGH-JKMN"
          />
        </label>
        <button type="submit" className="button button-ghost" disabled={!code.trim()}>
          {t('teams.joinCode.submit')}
        </button>
      </form>
      {formError && (
        <p className="notice notice-error" role="alert">
          {formError}
        </p>
      )}
    </section>
  );
}
