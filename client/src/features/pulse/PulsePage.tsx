import { useMemo, useState } from 'react';
import { useParams } from 'react-router';
import type { EventStatsDto } from '../../../../shared/stats';
import { useI18n } from '../../i18n/i18n';
import { BarChart } from '../leads/charts/BarChart';
import { ChartFigure } from '../leads/charts/ChartFigure';
import { DonutChart } from '../leads/charts/DonutChart';
import { TagIcon } from '../leads/TagBadge';
import { errorMessageKey, useLoad } from '../teams/useLoad';
import { NetworkPanel } from './NetworkPanel';
import { pulseApi } from './pulseApi';
import { usePulse } from './usePulse';
import '../teams/teams.css';
import './pulse.css';

/** `/events/:eventId/pulse`: the organizer's live dashboard, made for a big screen. */
export function PulsePage() {
  const { eventId = '' } = useParams();
  const { t, locale } = useI18n();
  const timeFormat = useMemo(
    () => new Intl.DateTimeFormat(locale, { timeStyle: 'medium' }),
    [locale],
  );
  const event = useLoad(eventId, (signal) => pulseApi.event(eventId, signal));
  const { state, live, reload } = usePulse(eventId);
  const [exportError, setExportError] = useState<string | null>(null);
  const name = event.data?.event.name;

  const download = async () => {
    setExportError(null);
    try {
      await pulseApi.exportCsv(eventId);
    } catch (err) {
      setExportError(t(errorMessageKey(err)));
    }
  };

  return (
    <section className="page page-wide pulse">
      <header className="pulse-header">
        <div>
          <p className="pulse-kicker">{t('pulse.kicker')}</p>
          <h1>{name ?? t('pulse.title')}</h1>
        </div>
        <div className="pulse-header-actions">
          <p className={`live-pill ${live ? 'is-live' : ''}`} role="status">
            <span className="live-dot" aria-hidden="true" />
            {live ? t('pulse.live') : t('pulse.notLive')}
          </p>
          {state.status === 'ready' && (
            <p className="hint pulse-updated">
              {t('pulse.updated', { time: timeFormat.format(new Date(state.updatedAt)) })}
            </p>
          )}
          <button
            type="button"
            className="button button-ghost button-small"
            onClick={() => void download()}
          >
            ⬇ {t('pulse.download')}
          </button>
        </div>
      </header>
      {exportError && (
        <p className="notice notice-error" role="alert">
          {exportError}
        </p>
      )}
      {state.status === 'loading' && (
        <div className="pulse-grid" aria-busy="true" aria-label={t('pulse.loading')}>
          <div className="skeleton skeleton-tile" />
          <div className="skeleton skeleton-tile" />
          <div className="skeleton skeleton-tile" />
          <div className="skeleton skeleton-chart" />
        </div>
      )}
      {state.status === 'error' && (
        <div className="notice notice-error" role="alert">
          <p>{t(pulseErrorKey(state.error))}</p>
          <button type="button" className="button button-ghost" onClick={() => void reload()}>
            {t('teams.retry')}
          </button>
        </div>
      )}
      {state.status === 'ready' && <PulseBody stats={state.stats} />}
    </section>
  );
}

function pulseErrorKey(error: unknown) {
  const key = errorMessageKey(error);
  return key === 'teams.error.forbidden' || key === 'teams.error.notFound'
    ? 'pulse.error.organizersOnly'
    : key;
}

function PulseBody({ stats }: { stats: EventStatsDto }) {
  const { t, locale } = useI18n();
  const number = useMemo(() => new Intl.NumberFormat(locale), [locale]);
  const percent = useMemo(
    () => new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }),
    [locale],
  );
  const fmt = (n: number) => number.format(n);
  const tagged = stats.cooperation + stats.competition + stats.untagged;
  const splitSummary = t('pulse.split.summary', {
    cooperation: fmt(stats.cooperation),
    competition: fmt(stats.competition),
    untagged: fmt(stats.untagged),
  });
  const slices = [
    {
      key: 'cooperation',
      label: t('leads.tag.cooperation'),
      icon: <TagIcon tag="cooperation" size={18} />,
      value: stats.cooperation,
      tone: 'cooperation' as const,
    },
    {
      key: 'competition',
      label: t('leads.tag.competition'),
      icon: <TagIcon tag="competition" size={18} />,
      value: stats.competition,
      tone: 'competition' as const,
    },
    {
      key: 'untagged',
      label: t('leads.tag.none'),
      icon: <TagIcon tag="none" size={18} />,
      value: stats.untagged,
      tone: 'neutral' as const,
    },
  ];
  const top = stats.topStartups[0];
  const topSummary = top
    ? t('pulse.top.summary', { name: top.name, count: fmt(top.leads) })
    : t('pulse.top.none');

  return (
    <div className="pulse-grid">
      <div className="tile tile-primary">
        <p className="tile-label">{t('pulse.handshakes')}</p>
        <p className="tile-value" data-testid="pulse-handshakes" aria-live="polite">
          {fmt(stats.handshakes)}
        </p>
      </div>
      <div className="tile">
        <p className="tile-label">{t('pulse.active')}</p>
        <p className="tile-value" data-testid="pulse-active">
          {fmt(stats.activeAttendees)}
        </p>
        <p className="hint">{t('pulse.activeOf', { members: fmt(stats.members) })}</p>
      </div>
      <ChartFigure
        title={t('pulse.split.title')}
        summary={splitSummary}
        columns={[t('stats.col.tag'), t('pulse.col.contacts')]}
        rows={slices.map((s) => ({
          label: s.label,
          value: `${fmt(s.value)} (${percent.format(tagged === 0 ? 0 : s.value / tagged)})`,
        }))}
      >
        <DonutChart
          slices={slices}
          centerLabel={t('pulse.contacts')}
          formatValue={fmt}
          formatShare={(x) => percent.format(x)}
          summary={splitSummary}
        />
      </ChartFigure>
      <ChartFigure
        title={t('pulse.top.title')}
        summary={topSummary}
        columns={[t('pulse.col.startup'), t('stats.col.leads')]}
        rows={stats.topStartups.map((s) => ({ label: s.name, value: fmt(s.leads) }))}
      >
        {stats.topStartups.length > 0 ? (
          <BarChart
            items={stats.topStartups.map((s) => ({ key: s.teamId, label: s.name, value: s.leads }))}
            formatValue={fmt}
            summary={topSummary}
          />
        ) : (
          <p className="hint">{t('pulse.top.none')}</p>
        )}
      </ChartFigure>
      <NetworkPanel network={stats.network} />
    </div>
  );
}
