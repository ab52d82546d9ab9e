import { NavLink } from 'react-router';
import { useI18n } from '../../i18n/i18n';

/** Tabs between a team's members, lead board and stats. */
export function TeamNav({ teamId, teamName }: { teamId: string; teamName?: string }) {
  const { t } = useI18n();
  const base = `/teams/${encodeURIComponent(teamId)}`;
  return (
    <nav className="team-nav" aria-label={teamName ?? t('teams.nav.label')}>
      <NavLink to={base} end>
        {t('teams.nav.members')}
      </NavLink>
      <NavLink to={`${base}/leads`} end>
        {t('teams.nav.leads')}
      </NavLink>
      <NavLink to={`${base}/stats`}>{t('teams.nav.stats')}</NavLink>
    </nav>
  );
}
