import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import type { TeamMemberDto } from '../../../../shared/teams';
import { useSession } from '../../app/session';
import { useI18n } from '../../i18n/i18n';
import { InvitePanel } from './InvitePanel';
import { TeamNav } from './TeamNav';
import { teamsApi } from './teamsApi';
import { errorMessageKey, useLoad } from './useLoad';
import './teams.css';

/** `/teams/:teamId`: members and roles, invites (owners), leave or remove. */
export function TeamPage() {
  const { teamId = '' } = useParams();
  const { t, formatDateTime } = useI18n();
  const { user } = useSession();
  const navigate = useNavigate();
  const team = useLoad(teamId, (signal) => teamsApi.get(teamId, signal));
  const [message, setMessage] = useState<string | null>(null);

  const data = team.data?.team;
  const isOwner = data?.role === 'owner';

  const remove = async (member: TeamMemberDto) => {
    const self = member.userId === user?.id;
    const question = self
      ? t('teams.members.confirmLeave', { team: data?.name ?? '' })
      : t('teams.members.confirmRemove', { name: member.name });
    if (!window.confirm(question)) return;
    setMessage(null);
    try {
      await teamsApi.removeMember(teamId, member.userId);
      if (self) {
        void navigate('/teams', { replace: true });
        return;
      }
      team.reload();
    } catch (err) {
      setMessage(t(errorMessageKey(err)));
    }
  };

  if (team.status === 'error' && !data) {
    return (
      <section className="page">
        <h1>{t('teams.title')}</h1>
        <div className="notice notice-error" role="alert">
          <p>{t(errorMessageKey(team.error))}</p>
          <Link to="/teams" className="button button-ghost">
            {t('teams.back')}
          </Link>
        </div>
      </section>
    );
  }

  return (
    <section className="page team-page">
      {data ? <h1>{data.name}</h1> : <div className="skeleton skeleton-title" />}
      <TeamNav teamId={teamId} teamName={data?.name} />
      <h2>{t('teams.members.title')}</h2>
      {!data && (
        <ul className="member-list" aria-busy="true" aria-label={t('teams.loading')}>
          <li className="skeleton skeleton-row" />
          <li className="skeleton skeleton-row" />
        </ul>
      )}
      {data && (
        <ul className="member-list">
          {data.members.map((member) => {
            const self = member.userId === user?.id;
            const canRemove = self || isOwner;
            return (
              <li key={member.userId} className="member-row">
                <span className="avatar" aria-hidden="true">
                  {initials(member.name)}
                </span>
                <span className="member-main">
                  <span className="member-name">
                    {member.name}
                    {self && <span className="hint"> {t('teams.members.you')}</span>}
                  </span>
                  <span className="hint">
                    {t(member.role === 'owner' ? 'teams.role.owner' : 'teams.role.member')} ·{' '}
                    {t('teams.members.joined', { date: formatDateTime(member.joinedAt) })}
                  </span>
                </span>
                {canRemove && (
                  <button
                    type="button"
                    className="button button-ghost button-small"
                    onClick={() => void remove(member)}
                    aria-label={
                      self
                        ? t('teams.members.leave')
                        : t('teams.members.removeNamed', { name: member.name })
                    }
                  >
                    {self ? t('teams.members.leave') : t('teams.members.remove')}
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {message && (
        <p className="notice notice-error" role="alert">
          {message}
        </p>
      )}
      {isOwner && <InvitePanel teamId={teamId} />}
    </section>
  );
}

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0], parts[parts.length - 1]] : parts;
  return letters
    .map((p) => (p ?? '').charAt(0))
    .join('')
    .toUpperCase();
}
