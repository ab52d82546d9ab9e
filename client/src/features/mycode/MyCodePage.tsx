import { useState } from 'react';
import { Link } from 'react-router';
import { useSession } from '../../app/session';
import { useI18n } from '../../i18n/i18n';
import { NfcWriteButton } from './NfcWriteButton';
import { QrCode } from './QrCode';
import { ShareButton } from './ShareButton';
import { useBadgeCode, useExchangeCode } from './useExchangeCode';
import { useWakeLock } from './useWakeLock';
import './mycode.css';

/** Shows the short code as "ABC 123": easier to read aloud and to copy by eye. */
function groupShortCode(code: string): string {
  return code.length === 6 ? `${code.slice(0, 3)} ${code.slice(3)}` : code;
}

/** My code: a full-width QR to be scanned, the short code to type, share and NFC. */
export function MyCodePage() {
  const { t } = useI18n();
  const { currentEventId, user } = useSession();
  if (!currentEventId || !user) {
    return (
      <section className="page page-centered mycode-empty">
        <h1>{t('mycode.title')}</h1>
        <p className="lead">{t('mycode.noEvent')}</p>
        <Link className="button button-primary button-large" to="/">
          {t('mycode.joinEvent')}
        </Link>
      </section>
    );
  }
  return <MyCode eventId={currentEventId} userId={user.id} />;
}

function MyCode({ eventId, userId }: { eventId: string; userId: string }) {
  const { t } = useI18n();
  const [attempt, setAttempt] = useState(0);
  const state = useExchangeCode(eventId, attempt);
  const badge = useBadgeCode(userId, eventId);
  useWakeLock();

  const code = state.status === 'ready' ? state.code : null;
  // Offline with no valid exchange code: the saved badge code still connects people.
  const fallback = state.status === 'error' && state.offline ? badge : null;
  const qrValue = code?.url ?? fallback?.url ?? null;

  return (
    <section className="page mycode" aria-labelledby="mycode-title">
      <h1 id="mycode-title" className="visually-hidden">
        {t('mycode.title')}
      </h1>
      <div className="mycode-panel">
        <p className="mycode-instructions">{t('mycode.instructions')}</p>
        <div className="mycode-qr" aria-busy={state.status === 'loading'}>
          {qrValue ? (
            <QrCode value={qrValue} label={t('mycode.qrAlt')} />
          ) : (
            <div className="qr-placeholder" aria-hidden="true" />
          )}
        </div>
        {code ? (
          <p className="mycode-short">
            <span className="mycode-short-label">{t('mycode.shortCodeLabel')}</span>
            <span className="mycode-short-code" aria-label={code.shortCode.split('').join(' ')}>
              {groupShortCode(code.shortCode)}
            </span>
          </p>
        ) : (
          <p className="mycode-short mycode-status" role="status">
            {state.status === 'loading' && t('mycode.loading')}
            {state.status === 'error' && fallback && t('mycode.offlineBadge')}
            {state.status === 'error' && !fallback && state.offline && t('mycode.offlineNone')}
            {state.status === 'error' && !state.offline && t('mycode.error')}
          </p>
        )}
      </div>
      {state.status === 'error' && !fallback && (
        <button
          type="button"
          className="button button-ghost"
          onClick={() => setAttempt((n) => n + 1)}
        >
          {t('mycode.retry')}
        </button>
      )}
      <p className="hint mycode-hint">
        <span aria-hidden="true">☀️</span> {t('mycode.brightness')}
      </p>
      <div className="bottom-actions">
        <NfcWriteButton url={badge?.url ?? null} />
        <ShareButton url={badge?.url ?? code?.url ?? null} />
        <Link to="/scan" className="button button-primary button-large">
          {t('mycode.scanInstead')}
        </Link>
      </div>
    </section>
  );
}
