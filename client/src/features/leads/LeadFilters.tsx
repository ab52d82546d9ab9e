import { useEffect, useId, useState } from 'react';
import {
  LEAD_RATINGS,
  LEAD_SORTS,
  type LeadSort,
  type LeadTagFilter,
} from '../../../../shared/leads';
import type { TeamMemberDto } from '../../../../shared/teams';
import type { MessageKey } from '../../i18n/catalog';
import { useI18n } from '../../i18n/i18n';
import { useDebounced, type BoardFilters } from './filters';
import { RATING_LABEL, TAG_ICON } from './TagBadge';

const TAG_CHOICES: { value: LeadTagFilter | undefined; label: MessageKey; icon?: string }[] = [
  { value: undefined, label: 'leads.filter.all' },
  { value: 'cooperation', label: 'leads.tag.cooperation', icon: TAG_ICON.cooperation },
  { value: 'competition', label: 'leads.tag.competition', icon: TAG_ICON.competition },
  { value: 'untagged', label: 'leads.filter.untagged', icon: TAG_ICON.none },
];

const SORT_LABEL: Record<LeadSort, MessageKey> = {
  recent: 'leads.sort.recent',
  name: 'leads.sort.name',
  company: 'leads.sort.company',
};

export interface EventOption {
  id: string;
  name: string;
}

/** Search, the co-operation/competition switch, and the finer filters. */
export function LeadFilters(props: {
  filters: BoardFilters;
  update: (patch: Partial<BoardFilters>) => void;
  clear: () => void;
  active: boolean;
  members: TeamMemberDto[];
  events: EventOption[];
}) {
  const { t } = useI18n();
  const { filters, update } = props;
  const [search, setSearch] = useState(filters.q ?? '');
  const settled = useDebounced(search, 300);
  const searchId = useId();

  // Push the settled search into the URL; the URL drives the request.
  useEffect(() => {
    if ((filters.q ?? '') !== settled) update({ q: settled || undefined });
    // Only the settled text should trigger this, not URL changes made elsewhere.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [settled]);

  // "Clear filters" empties the URL; mirror it into the box.
  useEffect(() => {
    if (filters.q === undefined) setSearch('');
  }, [filters.q]);

  const more = [filters.rating, filters.memberId, filters.eventId, filters.from, filters.to].filter(
    Boolean,
  ).length;

  return (
    <div className="lead-filters">
      <div className="lead-search">
        <label htmlFor={searchId} className="visually-hidden">
          {t('leads.search.label')}
        </label>
        <input
          id={searchId}
          type="search"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          placeholder={t('leads.search.placeholder')}
          maxLength={100}
          autoComplete="off"
        />
      </div>
      <div className="segmented" role="group" aria-label={t('leads.filter.tag')}>
        {TAG_CHOICES.map((choice) => (
          <button
            key={choice.label}
            type="button"
            aria-pressed={filters.tag === choice.value}
            className={`segment ${choice.value ? `segment-${choice.value}` : ''}`}
            onClick={() => update({ tag: choice.value })}
          >
            {choice.icon && <span aria-hidden="true">{choice.icon}</span>} {t(choice.label)}
          </button>
        ))}
      </div>
      <details className="more-filters" open={more > 0 ? true : undefined}>
        <summary>
          {t('leads.filter.more')}
          {more > 0 && <span className="count-pill">{more}</span>}
        </summary>
        <div className="filter-grid">
          <label className="field">
            <span>{t('leads.filter.rating')}</span>
            <select
              value={filters.rating ?? ''}
              onChange={(e) =>
                update({ rating: (e.target.value || undefined) as BoardFilters['rating'] })
              }
            >
              <option value="">{t('leads.filter.any')}</option>
              {LEAD_RATINGS.map((r) => (
                <option key={r} value={r}>
                  {t(RATING_LABEL[r])}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>{t('leads.filter.member')}</span>
            <select
              value={filters.memberId ?? ''}
              onChange={(e) => update({ memberId: e.target.value || undefined })}
            >
              <option value="">{t('leads.filter.anyone')}</option>
              {props.members.map((m) => (
                <option key={m.userId} value={m.userId}>
                  {m.name}
                </option>
              ))}
            </select>
          </label>
          {props.events.length > 0 && (
            <label className="field">
              <span>{t('leads.filter.event')}</span>
              <select
                value={filters.eventId ?? ''}
                onChange={(e) => update({ eventId: e.target.value || undefined })}
              >
                <option value="">{t('leads.filter.allEvents')}</option>
                {props.events.map((ev) => (
                  <option key={ev.id} value={ev.id}>
                    {ev.name}
                  </option>
                ))}
              </select>
            </label>
          )}
          <label className="field">
            <span>{t('leads.filter.from')}</span>
            <input
              type="date"
              value={filters.from ?? ''}
              max={filters.to}
              onChange={(e) => update({ from: e.target.value || undefined })}
            />
          </label>
          <label className="field">
            <span>{t('leads.filter.to')}</span>
            <input
              type="date"
              value={filters.to ?? ''}
              min={filters.from}
              onChange={(e) => update({ to: e.target.value || undefined })}
            />
          </label>
          <label className="field">
            <span>{t('leads.sort.label')}</span>
            <select
              value={filters.sort}
              onChange={(e) => update({ sort: e.target.value as LeadSort })}
            >
              {LEAD_SORTS.map((s) => (
                <option key={s} value={s}>
                  {t(SORT_LABEL[s])}
                </option>
              ))}
            </select>
          </label>
        </div>
        {props.active && (
          <button type="button" className="button button-ghost" onClick={props.clear}>
            {t('leads.filter.clear')}
          </button>
        )}
      </details>
    </div>
  );
}
