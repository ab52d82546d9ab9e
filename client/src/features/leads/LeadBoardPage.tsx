import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import type { MyEventsResponse } from '../../../../shared/events';
import { apiRequest } from '../../api';
import { useI18n } from '../../i18n/i18n';
import { TeamNav } from '../teams/TeamNav';
import { teamsApi } from '../teams/teamsApi';
import { errorMessageKey, useLoad } from '../teams/useLoad';
import { BulkBar } from './BulkBar';
import { ExportButtons } from './ExportButtons';
import { toServerFilter, useBoardFilters, useMediaQuery } from './filters';
import { LeadFilters } from './LeadFilters';
import { LeadList, LeadSkeleton } from './LeadList';
import { TagIcon } from './TagBadge';
import { useLeadPages } from './useLeadPages';
import { useLiveLeads } from './useLiveLeads';
import '../teams/teams.css';
import './leads.css';

/** `/teams/:teamId/leads`: every person the team's staff met, one row each. */
export function LeadBoardPage() {
  const { teamId = '' } = useParams();
  const { t, locale } = useI18n();
  const wide = useMediaQuery('(min-width: 900px)');
  const { filters, update, clear, active } = useBoardFilters();
  const [version, setVersion] = useState(0);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [status, setStatus] = useState<string | null>(null);

  const team = useLoad(teamId, (signal) => teamsApi.get(teamId, signal));
  const events = useLoad('me/events', (signal) =>
    apiRequest<MyEventsResponse>('/me/events', { signal }),
  );
  const leads = useLeadPages(teamId, filters, version);
  // Staff scanning right now, or leads captured while the connection was down.
  useLiveLeads(teamId, () => void leads.refresh());
  const members = team.data?.team.members ?? [];
  const eventOptions = useMemo(
    () => (events.data?.items ?? []).map(({ event }) => ({ id: event.id, name: event.name })),
    [events.data],
  );

  const toggle = (id: string) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const toggleAll = () =>
    setSelected((prev) =>
      leads.items.every((l) => prev.has(l.id)) ? new Set() : new Set(leads.items.map((l) => l.id)),
    );

  const teamName = team.data?.team.name;
  const shown = new Intl.NumberFormat(locale).format(leads.items.length);

  if (leads.status === 'error' && leads.items.length === 0) {
    return (
      <section className="page page-wide">
        <h1>{teamName ?? t('leads.title')}</h1>
        <TeamNav teamId={teamId} teamName={teamName} />
        <div className="notice notice-error" role="alert">
          <p>{t(errorMessageKey(leads.error))}</p>
          <button type="button" className="button button-ghost" onClick={leads.reload}>
            {t('teams.retry')}
          </button>
        </div>
      </section>
    );
  }

  return (
    <section className="page page-wide lead-board">
      <header className="board-header">
        <h1>{teamName ?? t('leads.title')}</h1>
        <p className="hint board-subtitle">{t('leads.subtitle')}</p>
      </header>
      <TeamNav teamId={teamId} teamName={teamName} />
      {(active || leads.initialLoading || leads.items.length > 0) && (
        <LeadFilters
          filters={filters}
          update={(patch) => {
            setSelected(new Set());
            update(patch);
          }}
          clear={clear}
          active={active}
          members={members}
          events={eventOptions}
        />
      )}

      {leads.initialLoading && <LeadSkeleton />}

      {!leads.initialLoading && leads.items.length === 0 && !active && (
        <div className="empty-state">
          <p className="empty-icon">
            <TagIcon tag="cooperation" size={56} />
          </p>
          <h2>{t('leads.empty.title')}</h2>
          <p>{t('leads.empty.body')}</p>
          <Link className="button button-primary" to={`/teams/${encodeURIComponent(teamId)}`}>
            {t('leads.empty.invite')}
          </Link>
        </div>
      )}
      {!leads.initialLoading && leads.items.length === 0 && active && (
        <div className="empty-state">
          <h2>{t('leads.noMatch.title')}</h2>
          <p>{t('leads.noMatch.body')}</p>
          <button type="button" className="button button-ghost" onClick={clear}>
            {t('leads.filter.clear')}
          </button>
        </div>
      )}

      {leads.items.length > 0 && (
        <>
          <div className="board-toolbar">
            <p className="board-count" aria-live="polite" aria-busy={leads.status === 'loading'}>
              {t(leads.hasMore ? 'leads.count.more' : 'leads.count', { count: shown })}
            </p>
            <ExportButtons teamId={teamId} filter={toServerFilter(filters)} />
          </div>
          <LeadList
            teamId={teamId}
            items={leads.items}
            selected={selected}
            toggle={toggle}
            toggleAll={toggleAll}
            wide={wide}
          />
        </>
      )}
      {leads.status === 'error' && leads.items.length > 0 && (
        <p className="notice notice-error" role="alert">
          {t(errorMessageKey(leads.error))}
        </p>
      )}
      {leads.hasMore && (
        <button
          type="button"
          className="button button-ghost load-more"
          onClick={() => void leads.loadMore()}
          disabled={leads.loadingMore}
        >
          {t(leads.loadingMore ? 'leads.loadingMore' : 'leads.loadMore')}
        </button>
      )}
      {leads.moreError !== null && (
        <p className="notice notice-error" role="alert">
          {t(errorMessageKey(leads.moreError))}
        </p>
      )}
      <p className="visually-hidden" role="status">
        {status}
      </p>
      {selected.size > 0 && (
        <BulkBar
          teamId={teamId}
          selected={[...selected]}
          members={members}
          onClear={() => setSelected(new Set())}
          onDone={(message) => {
            setStatus(message);
            setSelected(new Set());
            setVersion((v) => v + 1);
          }}
        />
      )}
    </section>
  );
}
