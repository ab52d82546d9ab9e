import { useId, useState } from 'react';
import type { LeadBulkUpdateInput } from '../../../../shared/leads';
import type { TeamMemberDto } from '../../../../shared/teams';
import { useI18n } from '../../i18n/i18n';
import { errorMessageKey } from '../teams/useLoad';
import { leadsApi } from './leadsApi';
import { TagIcon } from './TagBadge';
import './bulk-bar.css';

type Change = Omit<LeadBulkUpdateInput, 'leadIds'>;

/** Acts on every selected lead at once; sits at the bottom, under the thumb. */
export function BulkBar(props: {
  teamId: string;
  selected: string[];
  members: TeamMemberDto[];
  onDone: (message: string) => void;
  onClear: () => void;
}) {
  const { t, locale } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const assignId = useId();
  const count = new Intl.NumberFormat(locale).format(props.selected.length);

  const apply = async (change: Change) => {
    setBusy(true);
    setError(null);
    try {
      const { updated } = await leadsApi.bulk(props.teamId, {
        leadIds: props.selected,
        ...change,
      });
      props.onDone(t('leads.bulk.done', { count: new Intl.NumberFormat(locale).format(updated) }));
    } catch (err) {
      setError(t(errorMessageKey(err)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="bulk-bar" role="region" aria-label={t('leads.bulk.label')}>
      <div className="bulk-top">
        <p className="bulk-count" aria-live="polite">
          {t('leads.bulk.selected', { count })}
        </p>
        <button
          type="button"
          className="button button-small button-ghost"
          onClick={props.onClear}
          disabled={busy}
        >
          {t('leads.bulk.clear')}
        </button>
      </div>
      <div className="bulk-actions">
        <button
          type="button"
          className="button button-small chip-cooperation"
          disabled={busy}
          onClick={() => void apply({ tag: 'cooperation' })}
        >
          <TagIcon tag="cooperation" size={18} /> {t('leads.tag.cooperation')}
        </button>
        <button
          type="button"
          className="button button-small chip-competition"
          disabled={busy}
          onClick={() => void apply({ tag: 'competition' })}
        >
          <TagIcon tag="competition" size={18} /> {t('leads.tag.competition')}
        </button>
        <button
          type="button"
          className="button button-small button-ghost"
          disabled={busy}
          onClick={() => void apply({ followedUp: true })}
        >
          ✓ {t('leads.bulk.followedUp')}
        </button>
        <label htmlFor={assignId} className="visually-hidden">
          {t('leads.bulk.assign')}
        </label>
        <select
          id={assignId}
          className="bulk-assign"
          value=""
          disabled={busy}
          onChange={(e) => {
            const value = e.target.value;
            if (!value) return;
            void apply({ assigneeId: value === 'none' ? null : value });
          }}
        >
          <option value="">{t('leads.bulk.assign')}</option>
          {props.members.map((m) => (
            <option key={m.userId} value={m.userId}>
              {m.name}
            </option>
          ))}
          <option value="none">{t('leads.bulk.unassign')}</option>
        </select>
      </div>
      {error && (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
