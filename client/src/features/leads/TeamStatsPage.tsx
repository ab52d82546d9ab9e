import { useId, useMemo } from 'react';
import { useParams } from 'react-router';
import type { MyEventsResponse } from '../../../../shared/events';
import type { TeamLeadStatsDto } from '../../../../shared/leads';
import { apiRequest } from '../../api';
import { useI18n } from '../../i18n/i18n';
import { TeamNav } from '../teams/TeamNav';
import { teamsApi } from '../teams/teamsApi';
import { errorMessageKey, useLoad } from '../teams/useLoad';
import { BarChart } from './charts/BarChart';
import { ChartFigure } from './charts/ChartFigure';
import { ColumnChart } from './charts/ColumnChart';
import { DonutChart } from './charts/DonutChart';
import { ProgressBar } from './charts/ProgressBar';
import { useBoardFilters } from './filters';
import { leadsApi } from './leadsApi';
import { TagIcon } from './TagBadge';
import '../teams/teams.css';
import './leads.css';
import './team-stats.css';

/** `/teams/:teamId/stats`: the team's leads as charts, each with a table alternative. */
export function TeamStatsPage() {
  const { teamId = '' } = useParams();
  const { t } = useI18n();
  const { filters, update } = useBoardFilters();
  const eventId = filters.eventId;
  const stats = useLoad(`${teamId}/${eventId ?? ''}`, (signal) =>
    leadsApi.stats(teamId, { eventId }, signal),
  );
  const team = useLoad(teamId, (signal) => teamsApi.get(teamId, signal));
  const events = useLoad('me/events', (signal) =>
    apiRequest<MyEventsResponse>('/me/events', { signal }),
  );
  const teamName = team.data?.team.name;
  const eventSelectId = useId();

  return (
    <section className="page page-wide team-stats">
      <h1>{teamName ?? t('stats.title')}</h1>
      <TeamNav teamId={teamId} teamName={teamName} />
      {(events.data?.items.length ?? 0) > 0 && (
        <div className="field stats-event">
          <label htmlFor={eventSelectId}>{t('leads.filter.event')}</label>
          <select
            id={eventSelectId}
            value={eventId ?? ''}
            onChange={(e) => update({ eventId: e.target.value || undefined })}
          >
            <option value="">{t('leads.filter.allEvents')}</option>
            {events.data?.items.map(({ event }) => (
              <option key={event.id} value={event.id}>
                {event.name}
              </option>
            ))}
          </select>
        </div>
      )}
      {stats.status === 'error' && (
        <div className="notice notice-error" role="alert">
          <p>{t(errorMessageKey(stats.error))}</p>
          <button type="button" className="button button-ghost" onClick={stats.reload}>
            {t('teams.retry')}
          </button>
        </div>
      )}
      {!stats.data && stats.status === 'loading' && (
        <div className="chart-grid" aria-busy="true" aria-label={t('leads.loading')}>
          <div className="skeleton skeleton-chart" />
          <div className="skeleton skeleton-chart" />
        </div>
      )}
      {stats.data && <StatsCharts stats={stats.data.stats} />}
    </section>
  );
}

/**
 * The server gives each hour as wall-clock time in the stats' time zone ("2026-12-01T18:00",
 * no offset). Read it as UTC and format it in UTC so the browser's own zone never shifts it.
 */
function wallClock(hour: string): Date {
  return new Date(`${hour}:00Z`);
}

function StatsCharts({ stats }: { stats: TeamLeadStatsDto }) {
  const { t, locale } = useI18n();
  const number = useMemo(() => new Intl.NumberFormat(locale), [locale]);
  const percent = useMemo(
    () => new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }),
    [locale],
  );
  const fmt = (n: number) => number.format(n);
  const hourFormat = useMemo(
    () =>
      new Intl.DateTimeFormat(locale, {
        hour: 'numeric',
        minute: '2-digit',
        timeZone: 'UTC',
      }),
    [locale],
  );
  const dayFormat = useMemo(
    () =>
      new Intl.DateTimeFormat(locale, {
        weekday: 'short',
        hour: 'numeric',
        minute: '2-digit',
        timeZone: 'UTC',
      }),
    [locale],
  );

  if (stats.total === 0) {
    return (
      <div className="empty-state">
        <h2>{t('leads.empty.title')}</h2>
        <p>{t('stats.empty')}</p>
      </div>
    );
  }

  const slices = [
    {
      key: 'cooperation',
      label: t('leads.tag.cooperation'),
      icon: <TagIcon tag="cooperation" size={18} />,
      value: stats.byTag.cooperation,
      tone: 'cooperation' as const,
    },
    {
      key: 'competition',
      label: t('leads.tag.competition'),
      icon: <TagIcon tag="competition" size={18} />,
      value: stats.byTag.competition,
      tone: 'competition' as const,
    },
    {
      key: 'none',
      label: t('leads.tag.none'),
      icon: <TagIcon tag="none" size={18} />,
      value: stats.byTag.none,
      tone: 'neutral' as const,
    },
  ];
  const share = (n: number) => percent.format(stats.total === 0 ? 0 : n / stats.total);
  const tagSummary = t('stats.tag.summary', {
    cooperation: fmt(stats.byTag.cooperation),
    competition: fmt(stats.byTag.competition),
    none: fmt(stats.byTag.none),
  });

  const members = stats.byMember.map((m) => ({
    key: m.userId,
    label: m.name || t('leads.formerMember'),
    value: m.leads,
  }));
  const top = stats.byMember[0];
  const memberSummary = top
    ? t('stats.member.summary', { name: top.name, count: fmt(top.leads) })
    : t('stats.none');

  // Hours spanning more than one day get the weekday so "18:00" is not ambiguous.
  const multiDay = stats.byHour.length > 24;
  const columns = stats.byHour.map((h) => ({
    key: h.hour,
    label: (multiDay ? dayFormat : hourFormat).format(wallClock(h.hour)),
    value: h.encounters,
  }));
  const busiest = stats.byHour.reduce<(typeof stats.byHour)[number] | null>(
    (best, h) => (!best || h.encounters > best.encounters ? h : best),
    null,
  );
  const zone = t('stats.hour.zone', { zone: stats.timezone });
  const hourSummary = busiest
    ? `${t('stats.hour.summary', {
        hour: dayFormat.format(wallClock(busiest.hour)),
        count: fmt(busiest.encounters),
      })} ${zone}`
    : t('stats.none');

  const done = stats.followUp.followedUp;
  const total = stats.followUp.followedUp + stats.followUp.pending;
  const progressLabel = t('stats.followUp.label', {
    done: fmt(done),
    total: fmt(total),
    share: percent.format(total === 0 ? 0 : done / total),
  });

  return (
    <div className="chart-grid">
      <ChartFigure
        title={t('stats.tag.title', { count: fmt(stats.total) })}
        summary={tagSummary}
        columns={[t('stats.col.tag'), t('stats.col.leads')]}
        rows={slices.map((s) => ({ label: s.label, value: `${fmt(s.value)} (${share(s.value)})` }))}
      >
        <DonutChart
          slices={slices}
          centerLabel={t('stats.leads')}
          formatValue={fmt}
          formatShare={(x) => percent.format(x)}
          summary={tagSummary}
        />
      </ChartFigure>
      <ChartFigure
        title={t('stats.followUp.title')}
        summary={t('stats.followUp.assigned', { count: fmt(stats.followUp.assigned) })}
        columns={[t('stats.col.status'), t('stats.col.leads')]}
        rows={[
          { label: t('leads.followedUp'), value: fmt(done) },
          { label: t('leads.pending'), value: fmt(stats.followUp.pending) },
          { label: t('stats.followUp.assignedRow'), value: fmt(stats.followUp.assigned) },
        ]}
      >
        <ProgressBar done={done} total={total} label={progressLabel} />
      </ChartFigure>
      <ChartFigure
        title={t('stats.member.title')}
        summary={memberSummary}
        columns={[t('stats.col.member'), t('stats.col.leads')]}
        rows={stats.byMember.map((m) => ({
          label: m.name || t('leads.formerMember'),
          value: t('stats.member.row', { leads: fmt(m.leads), encounters: fmt(m.encounters) }),
        }))}
      >
        <BarChart items={members} formatValue={fmt} summary={memberSummary} />
      </ChartFigure>
      <ChartFigure
        title={t('stats.hour.title')}
        summary={hourSummary}
        columns={[t('stats.col.hour'), t('stats.col.encounters')]}
        rows={stats.byHour.map((h) => ({
          label: dayFormat.format(wallClock(h.hour)),
          value: fmt(h.encounters),
        }))}
      >
        <ColumnChart columns={columns} formatValue={fmt} summary={hourSummary} />
      </ChartFigure>
    </div>
  );
}
