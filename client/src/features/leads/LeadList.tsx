import { Link } from 'react-router';
import type { LeadSummaryDto } from '../../../../shared/leads';
import { useI18n } from '../../i18n/i18n';
import { RatingBadge, TagBadge } from './TagBadge';

interface ListProps {
  teamId: string;
  items: LeadSummaryDto[];
  selected: ReadonlySet<string>;
  toggle: (leadId: string) => void;
  toggleAll: () => void;
  /** Laptop: a table; phone: a list of cards. */
  wide: boolean;
}

function leadHref(teamId: string, leadId: string) {
  return `/teams/${encodeURIComponent(teamId)}/leads/${encodeURIComponent(leadId)}`;
}

/** "Met twice by Ana, Ben" — who met the person, in the user's language. */
function useMetBy() {
  const { t, locale } = useI18n();
  const list = new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' });
  return (lead: LeadSummaryDto) =>
    t(lead.encounterCount === 1 ? 'leads.metBy.one' : 'leads.metBy.many', {
      count: new Intl.NumberFormat(locale).format(lead.encounterCount),
      names: list.format(lead.metBy.map((m) => m.name || t('leads.formerMember'))),
    });
}

export function LeadList(props: ListProps) {
  return props.wide ? <LeadTable {...props} /> : <LeadCards {...props} />;
}

function LeadCards({ teamId, items, selected, toggle }: ListProps) {
  const { t, formatDateTime } = useI18n();
  const metBy = useMetBy();
  return (
    <ul className="lead-cards">
      {items.map((lead) => {
        const subtitle = [lead.person.title, lead.person.company].filter(Boolean).join(' · ');
        return (
          <li key={lead.id} className={`lead-card ${selected.has(lead.id) ? 'is-selected' : ''}`}>
            <label className="select-box">
              <input
                type="checkbox"
                checked={selected.has(lead.id)}
                onChange={() => toggle(lead.id)}
              />
              <span className="visually-hidden">
                {t('leads.select.one', { name: lead.person.fullName })}
              </span>
            </label>
            <Link to={leadHref(teamId, lead.id)} className="lead-card-body">
              <span className="lead-name">{lead.person.fullName}</span>
              {subtitle && <span className="lead-sub">{subtitle}</span>}
              <span className="lead-badges">
                <TagBadge tag={lead.tag} />
                <RatingBadge rating={lead.rating} />
                {lead.followedUp && <span className="done-badge">✓ {t('leads.followedUp')}</span>}
              </span>
              <span className="lead-meta">
                {metBy(lead)} · {formatDateTime(lead.lastMetAt)}
              </span>
              {lead.assignee && (
                <span className="lead-meta">
                  {t('leads.assignedTo', { name: lead.assignee.name })}
                </span>
              )}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}

function LeadTable({ teamId, items, selected, toggle, toggleAll }: ListProps) {
  const { t, formatDateTime } = useI18n();
  const metBy = useMetBy();
  const allSelected = items.length > 0 && items.every((l) => selected.has(l.id));
  return (
    <div className="lead-table-wrap">
      <table className="lead-table">
        <caption className="visually-hidden">{t('leads.table.caption')}</caption>
        <thead>
          <tr>
            <th scope="col" className="col-select">
              <label className="select-box">
                <input type="checkbox" checked={allSelected} onChange={toggleAll} />
                <span className="visually-hidden">{t('leads.select.page')}</span>
              </label>
            </th>
            <th scope="col">{t('leads.table.person')}</th>
            <th scope="col">{t('leads.table.company')}</th>
            <th scope="col">{t('leads.table.tag')}</th>
            <th scope="col">{t('leads.table.metBy')}</th>
            <th scope="col">{t('leads.table.lastMet')}</th>
            <th scope="col">{t('leads.table.assignee')}</th>
            <th scope="col">{t('leads.table.followUp')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((lead) => (
            <tr key={lead.id} className={selected.has(lead.id) ? 'is-selected' : undefined}>
              <td className="col-select">
                <label className="select-box">
                  <input
                    type="checkbox"
                    checked={selected.has(lead.id)}
                    onChange={() => toggle(lead.id)}
                  />
                  <span className="visually-hidden">
                    {t('leads.select.one', { name: lead.person.fullName })}
                  </span>
                </label>
              </td>
              <th scope="row">
                <Link to={leadHref(teamId, lead.id)} className="lead-name">
                  {lead.person.fullName}
                </Link>
                {lead.person.title && <span className="lead-sub">{lead.person.title}</span>}
              </th>
              <td>{lead.person.company}</td>
              <td>
                <span className="lead-badges">
                  <TagBadge tag={lead.tag} />
                  <RatingBadge rating={lead.rating} />
                </span>
              </td>
              <td>{metBy(lead)}</td>
              <td>{formatDateTime(lead.lastMetAt)}</td>
              <td>{lead.assignee?.name ?? '—'}</td>
              <td>
                {lead.followedUp ? (
                  <span className="done-badge">✓ {t('leads.followedUp')}</span>
                ) : (
                  <span className="hint">{t('leads.pending')}</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Placeholder rows shaped like the real ones while the first page loads. */
export function LeadSkeleton({ rows = 5 }: { rows?: number }) {
  const { t } = useI18n();
  return (
    <ul className="lead-cards" aria-busy="true" aria-label={t('leads.loading')}>
      {Array.from({ length: rows }, (_, i) => (
        <li key={i} className="lead-card lead-card-skeleton">
          <span className="skeleton skeleton-line" style={{ width: '55%' }} />
          <span className="skeleton skeleton-line" style={{ width: '35%' }} />
          <span className="skeleton skeleton-line" style={{ width: '70%' }} />
        </li>
      ))}
    </ul>
  );
}
