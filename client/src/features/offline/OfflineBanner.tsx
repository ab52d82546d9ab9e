import { useSession } from '../../app/session';
import { useI18n } from '../../i18n/i18n';
import { useOutbox } from './outbox';
import { scanErrorKey } from './scan-errors';
import { useOnline } from './useOnline';
import './offline.css';

/**
 * Always on screen (placed in the layout): says when the phone is offline, how many scans
 * wait to sync, and which ones the server refused and why. It also keeps the outbox
 * syncing, whatever screen is open.
 */
export function OfflineBanner() {
  const { status } = useSession();
  if (status !== 'signedIn') return <ConnectionOnlyBanner />;
  return <OutboxBanner />;
}

function ConnectionOnlyBanner() {
  const { t } = useI18n();
  const online = useOnline();
  if (online) return null;
  return (
    <div className="offline-banner offline-banner-offline" role="status">
      <span aria-hidden="true" className="offline-dot" />
      <span>{t('offline.offline')}</span>
    </div>
  );
}

function OutboxBanner() {
  const { t, formatNumber } = useFormat();
  const online = useOnline();
  const { pendingCount, failed, syncNow, dismiss } = useOutbox();

  if (online && pendingCount === 0 && failed.length === 0) return null;

  return (
    <div className="offline-stack" role="status" aria-live="polite">
      {(!online || pendingCount > 0) && (
        <div
          className={`offline-banner ${online ? 'offline-banner-syncing' : 'offline-banner-offline'}`}
        >
          <span aria-hidden="true" className="offline-dot" />
          <span className="offline-text">
            {!online && <strong>{t('offline.offline')} </strong>}
            {pendingCount > 0 &&
              t(pendingCount === 1 ? 'offline.pendingOne' : 'offline.pendingMany', {
                count: formatNumber(pendingCount),
              })}
          </span>
          {online && pendingCount > 0 && (
            <button type="button" className="offline-action" onClick={() => void syncNow()}>
              {t('offline.syncNow')}
            </button>
          )}
        </div>
      )}
      {failed.map((item) => (
        <div key={item.clientRef} className="offline-banner offline-banner-failed">
          <span className="offline-text">
            <strong>
              {item.preview?.fullName
                ? t('offline.failedNamed', { name: item.preview.fullName })
                : t('offline.failed')}
            </strong>{' '}
            {t(scanErrorKey(item.error?.code ?? ''))}
          </span>
          <button
            type="button"
            className="offline-action"
            onClick={() => void dismiss(item.clientRef)}
          >
            {t('offline.dismiss')}
          </button>
        </div>
      ))}
    </div>
  );
}

function useFormat() {
  const { t, locale } = useI18n();
  return { t, formatNumber: (n: number) => new Intl.NumberFormat(locale).format(n) };
}
