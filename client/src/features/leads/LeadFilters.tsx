import { useEffect, useId, useState } from 'react';
import {
  LEAD_RATINGS,
  LEAD_SORTS,
  type LeadSort,
  type LeadTag,
  type LeadTagFilter,
} from '../../../../shared/leads';
import type { TeamMemberDto } from '../../../../shared/teams';
import type { MessageKey } from '../../i18n/catalog';
import { useI18n } from '../../i18n/i18n';
import { useDebounced, type BoardFilters } from './filters';
import { RATING_LABEL, TagIcon } from './TagBadge';
import './lead-filters.css';

const TAG_CHOICES: { value: LeadTagFilter | undefined; label: MessageKey; icon?: LeadTag }[] = [
  { value: undefined, label: 'leads.filter.all' },
  { value: 'cooperation', label: 'leads.tag.cooperation', icon: 'cooperation' },
  { value: 'competition', label: 'leads.tag.competition', icon: 'competition' },
  { value: 'untagged', label: 'leads.filter.untagged', icon: 'none' },
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
  const ids = useId();

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
      <div className="chip-group" role="group" aria-label={t('leads.filter.tag')}>
        {TAG_CHOICES.map((choice) => (
          <button
            key={choice.label}
            type="button"
            aria-pressed={filters.tag === choice.value}
            className={`chip ${choice.value ? `chip-${choice.value}` : ''}`}
            onClick={() => update({ tag: choice.value })}
          >
            {choice.icon && <TagIcon tag={choice.icon} size={18} />} {t(choice.label)}
          </button>
        ))}
      </div>
      <details className="more-filters" open={more > 0 ? true : undefined}>
        <summary>
          {t('leads.filter.more')}
          {more > 0 && <span className="count-pill">{more}</span>}
        </summary>
        <div className="filter-grid">
          <div className="field">
            <label htmlFor={`${ids}-1`}>{t('leads.filter.rating')}</label>
            <select
              id={`${ids}-1`}
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
          </div>
          <div className="field">
            <label htmlFor={`${ids}-2`}>{t('leads.filter.member')}</label>
            <select
              id={`${ids}-2`}
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
          </div>
          {props.events.length > 0 && (
            <div className="field">
              <label htmlFor={`${ids}-3`}>{t('leads.filter.event')}</label>
              <select
                id={`${ids}-3`}
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
            </div>
          )}
          <div className="field">
            <label htmlFor={`${ids}-4`}>{t('leads.filter.from')}</label>
            <input
              id={`${ids}-4`}
              type="date"
              value={filters.from ?? ''}
              max={filters.to}
              onChange={(e) => update({ from: e.target.value || undefined })}
            />
          </div>
          <div className="field">
            <label htmlFor={`${ids}-5`}>{t('leads.filter.to')}</label>
            <input
              id={`${ids}-5`}
              type="date"
              value={filters.to ?? ''}
              min={filters.from}
              onChange={(e) => update({ to: e.target.value || undefined })}
            />
          </div>
          <div className="field">
            <label htmlFor={`${ids}-6`}>{t('leads.sort.label')}</label>
            <select
              id={`${ids}-6`}
              value={filters.sort}
              onChange={(e) => update({ sort: e.target.value as LeadSort })}
            >
              {LEAD_SORTS.map((s) => (
                <option key={s} value={s}>
                  {t(SORT_LABEL[s])}
                </option>
              ))}
            </select>
          </div>
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
