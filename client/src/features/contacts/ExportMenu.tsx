import { useState } from 'react';
import { errorMessage } from '../../app/validation';
import { useI18n } from '../../i18n/i18n';
import { exportContacts, type ContactQuery } from './contactsApi';

/** Export what the list shows (or everything) as vCard for phones or CSV for a CRM. */
export function ExportMenu({ query, filtered }: { query: ContactQuery; filtered: boolean }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState<'vcf' | 'csv' | null>(null);
  const [error, setError] = useState<string | null>(null);

  const run = async (format: 'vcf' | 'csv') => {
    setBusy(format);
    setError(null);
    try {
      await exportContacts(format, query);
    } catch (err) {
      setError(errorMessage(err, t));
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="export-box" aria-labelledby="export-heading">
      <h2 id="export-heading" className="section-label">
        {filtered ? t('contacts.exportFiltered') : t('contacts.exportAll')}
      </h2>
      <div className="button-row">
        <button
          type="button"
          className="button button-ghost"
          disabled={busy !== null}
          onClick={() => void run('vcf')}
        >
          {busy === 'vcf' ? t('common.working') : t('contacts.exportVcf')}
        </button>
        <button
          type="button"
          className="button button-ghost"
          disabled={busy !== null}
          onClick={() => void run('csv')}
        >
          {busy === 'csv' ? t('common.working') : t('contacts.exportCsv')}
        </button>
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
