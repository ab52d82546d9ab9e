import { useState } from 'react';
import { Link } from 'react-router';
import type { BadgeCodeResponse } from '../../../../shared/exchange';
import { apiDownload, apiRequest } from '../../api';
import { Dialog } from '../../app/Dialog';
import { useSession } from '../../app/session';
import { errorMessage } from '../../app/validation';
import { LOCALES, useI18n, type Locale } from '../../i18n/i18n';
import { showToast } from '../toasts/store';
import { DeleteAccountDialog } from './DeleteAccountDialog';
import { EventPicker } from './EventPicker';

const LANGUAGE_NAMES: Record<Locale, string> = { en: 'English', fr: 'Français' };

/** `/settings`: language, privacy, badge code, my data, and leaving. */
export function SettingsPage() {
  const { t, locale, setLocale } = useI18n();
  const { user, currentEventId, signOut } = useSession();
  const [dialog, setDialog] = useState<'rotate' | 'delete' | null>(null);
  const [busy, setBusy] = useState<'rotate' | 'export' | null>(null);
  const [error, setError] = useState<string | null>(null);

  const rotate = async () => {
    if (!currentEventId) return;
    setBusy('rotate');
    setError(null);
    try {
      await apiRequest<BadgeCodeResponse>(
        `/events/${encodeURIComponent(currentEventId)}/badge-code/rotate`,
        { method: 'POST' },
      );
      setDialog(null);
      showToast({ tone: 'success', title: t('settings.rotated') });
    } catch (err) {
      setError(errorMessage(err, t));
      setDialog(null);
    } finally {
      setBusy(null);
    }
  };

  const exportData = async () => {
    setBusy('export');
    setError(null);
    try {
      await apiDownload('/me/export', 'coopetition-my-data.json');
    } catch (err) {
      setError(errorMessage(err, t));
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="page settings">
      <div className="page-header">
        <h1>{t('settings.title')}</h1>
        {user && <p className="hint">{t('settings.signedInAs', { email: user.email })}</p>}
      </div>

      <div className="settings-group" role="group" aria-labelledby="settings-language">
        <h2 id="settings-language" className="section-label">
          {t('settings.language')}
        </h2>
        <div className="segmented">
          {LOCALES.map((l) => (
            <button
              key={l}
              type="button"
              lang={l}
              aria-pressed={locale === l}
              onClick={() => setLocale(l)}
            >
              {LANGUAGE_NAMES[l]}
            </button>
          ))}
        </div>
      </div>

      <EventPicker />

      <div className="settings-group">
        <h2 className="section-label">{t('organizer.settingsGroup')}</h2>
        <Link to="/teams" className="settings-row">
          <span>
            <span className="settings-row-title">{t('organizer.teamsRow')}</span>
            <span className="settings-row-hint">{t('organizer.teamsRowHint')}</span>
          </span>
          <span aria-hidden="true">›</span>
        </Link>
        <Link to="/events/new" className="settings-row">
          <span>
            <span className="settings-row-title">{t('organizer.organizeRow')}</span>
            <span className="settings-row-hint">{t('organizer.organizeRowHint')}</span>
          </span>
          <span aria-hidden="true">›</span>
        </Link>
      </div>

      <div className="settings-group">
        <h2 className="section-label">{t('settings.privacy')}</h2>
        <Link to="/card" className="settings-row">
          <span>
            <span className="settings-row-title">{t('settings.visibleFields')}</span>
            <span className="settings-row-hint">{t('settings.visibleFieldsHint')}</span>
          </span>
          <span aria-hidden="true">›</span>
        </Link>
        <button
          type="button"
          className="settings-row"
          disabled={!currentEventId || busy !== null}
          onClick={() => setDialog('rotate')}
        >
          <span>
            <span className="settings-row-title">{t('settings.rotate')}</span>
            <span className="settings-row-hint">
              {currentEventId ? t('settings.rotateHint') : t('settings.rotateNoEvent')}
            </span>
          </span>
          <span aria-hidden="true">›</span>
        </button>
      </div>

      <div className="settings-group">
        <h2 className="section-label">{t('settings.myData')}</h2>
        <button
          type="button"
          className="settings-row"
          disabled={busy !== null}
          onClick={() => void exportData()}
        >
          <span>
            <span className="settings-row-title">
              {busy === 'export' ? t('common.working') : t('settings.download')}
            </span>
            <span className="settings-row-hint">{t('settings.downloadHint')}</span>
          </span>
          <span aria-hidden="true">⤓</span>
        </button>
        <button
          type="button"
          className="settings-row settings-row-danger"
          onClick={() => setDialog('delete')}
        >
          <span>
            <span className="settings-row-title">{t('settings.delete')}</span>
            <span className="settings-row-hint">{t('settings.deleteHint')}</span>
          </span>
          <span aria-hidden="true">›</span>
        </button>
      </div>

      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}

      <div className="bottom-actions">
        <button
          type="button"
          className="button button-ghost button-large"
          onClick={() => void signOut()}
        >
          {t('settings.signOut')}
        </button>
      </div>

      <Dialog
        open={dialog === 'rotate'}
        title={t('settings.rotateTitle')}
        onClose={() => setDialog(null)}
      >
        <p>{t('settings.rotateExplain')}</p>
        <div className="button-row">
          <button type="button" className="button button-ghost" onClick={() => setDialog(null)}>
            {t('common.cancel')}
          </button>
          <button
            type="button"
            className="button button-primary"
            disabled={busy === 'rotate'}
            onClick={() => void rotate()}
          >
            {busy === 'rotate' ? t('common.working') : t('settings.rotateConfirm')}
          </button>
        </div>
      </Dialog>
      <DeleteAccountDialog open={dialog === 'delete'} onClose={() => setDialog(null)} />
    </section>
  );
}
