import { useState } from 'react';
import type { LeadFilterInput } from '../../../../shared/leads';
import { useI18n } from '../../i18n/i18n';
import { errorMessageKey } from '../teams/useLoad';
import { leadsApi } from './leadsApi';

/** CSV for a CRM and one .vcf with every lead, both of the current filter. */
export function ExportButtons({ teamId, filter }: { teamId: string; filter: LeadFilterInput }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState<'csv' | 'vcf' | null>(null);
  const [error, setError] = useState<string | null>(null);

  const download = async (format: 'csv' | 'vcf') => {
    setBusy(format);
    setError(null);
    try {
      await leadsApi.export(teamId, format, filter);
    } catch (err) {
      setError(t(errorMessageKey(err)));
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="export-buttons" role="group" aria-label={t('leads.export.label')}>
      <button
        type="button"
        className="button button-ghost button-small"
        onClick={() => void download('csv')}
        disabled={busy !== null}
      >
        ⬇ {t('leads.export.csv')}
      </button>
      <button
        type="button"
        className="button button-ghost button-small"
        onClick={() => void download('vcf')}
        disabled={busy !== null}
      >
        ⬇ {t('leads.export.vcf')}
      </button>
      {error && (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
