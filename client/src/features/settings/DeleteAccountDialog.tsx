import { useState, type FormEvent } from 'react';
import { DeleteAccountSchema } from '../../../../shared/auth';
import { ApiError, apiRequest } from '../../api';
import { Dialog } from '../../app/Dialog';
import { useSession } from '../../app/session';
import { errorMessage, validate } from '../../app/validation';
import { useI18n } from '../../i18n/i18n';
import { showToast } from '../toasts/store';

/** Deleting is easy and explained: what goes, and the password to confirm. */
export function DeleteAccountDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const { clear } = useSession();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const checked = validate(DeleteAccountSchema, { password }, t);
    if (!checked.ok) {
      setError(checked.errors.password ?? t('validation.required'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await apiRequest<void>('/me', { method: 'DELETE', body: checked.data });
      clear({ byUser: true });
      showToast({ tone: 'info', title: t('settings.deleted') });
    } catch (err) {
      setError(
        err instanceof ApiError && err.code === 'invalid_credentials'
          ? t('settings.wrongPassword')
          : errorMessage(err, t),
      );
      setBusy(false);
    }
  };

  return (
    <Dialog open={open} title={t('settings.deleteTitle')} onClose={onClose}>
      <form className="form" onSubmit={onSubmit} noValidate>
        <p>{t('settings.deleteExplain')}</p>
        <label className="field">
          <span>{t('settings.deletePassword')}</span>
          <input
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'delete-error' : undefined}
          />
          {error && (
            <span className="field-error" id="delete-error" role="alert">
              {error}
            </span>
          )}
        </label>
        <div className="button-row">
          <button type="button" className="button button-ghost" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="button button-danger" disabled={busy}>
            {busy ? t('common.working') : t('settings.deleteConfirm')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
