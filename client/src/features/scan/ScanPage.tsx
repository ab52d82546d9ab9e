import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { Link } from 'react-router';
import { useSession } from '../../app/session';
import { useI18n } from '../../i18n/i18n';
import { onScanSynced, useOutbox, type ScanMethod, type ScanPreview } from '../offline/outbox';
import type { CameraProblem } from './camera';
import { CameraScanner } from './CameraScanner';
import { ManualCodeForm } from './ManualCodeForm';
import { parseScannedCode } from './parse-code';
import { ScanResult, type ScanPhase } from './ScanResult';
import { useNfcScan } from './useNfcScan';
import './scan.css';

const PROBLEM_MESSAGE = {
  denied: 'scan.cameraDenied',
  none: 'scan.cameraNone',
  inUse: 'scan.cameraInUse',
  unsupported: 'scan.cameraUnsupported',
} as const;

/** The same code seen again this soon after it was handled is the same person still in view. */
const SAME_CODE_QUIET_MS = 4_000;

interface Result {
  clientRef: string | null;
  preview: ScanPreview;
  shortCode?: string;
  phase: ScanPhase;
}

/** The scanner: camera (or typed code, or NFC badge), then the new contact. */
export function ScanPage() {
  const { t } = useI18n();
  const { currentEventId } = useSession();
  if (!currentEventId) {
    return (
      <section className="page page-centered">
        <h1>{t('scan.title')}</h1>
        <p className="lead">{t('scan.noEvent')}</p>
        <Link className="button button-primary button-large" to="/">
          {t('mycode.joinEvent')}
        </Link>
      </section>
    );
  }
  return <Scanner eventId={currentEventId} />;
}

function subscribeVisibility(onChange: () => void): () => void {
  document.addEventListener('visibilitychange', onChange);
  return () => document.removeEventListener('visibilitychange', onChange);
}

/** The camera is let go while the app is in the background (battery, and other apps need it). */
function usePageVisible(): boolean {
  return useSyncExternalStore(
    subscribeVisibility,
    () => document.visibilityState === 'visible',
    () => true,
  );
}

function vibrate(pattern: number | number[]): void {
  if (typeof navigator.vibrate === 'function') navigator.vibrate(pattern);
}

function Scanner({ eventId }: { eventId: string }) {
  const { t } = useI18n();
  const { enqueue, dismiss } = useOutbox();
  const [mode, setMode] = useState<'camera' | 'manual'>('camera');
  const [problem, setProblem] = useState<CameraProblem | null>(null);
  const [cameraAttempt, setCameraAttempt] = useState(0);
  const [result, setResult] = useState<Result | null>(null);
  const [notOurs, setNotOurs] = useState(false);
  const lastHandled = useRef<{ text: string; at: number } | null>(null);
  const busy = useRef(false);
  const visible = usePageVisible();

  const handle = useCallback(
    async (raw: string, method: ScanMethod) => {
      if (busy.current) return;
      const last = lastHandled.current;
      if (last && last.text === raw && Date.now() - last.at < SAME_CODE_QUIET_MS) return;
      const parsed = parseScannedCode(raw);
      if (!parsed) {
        setNotOurs(true);
        return;
      }
      busy.current = true;
      lastHandled.current = { text: raw, at: Date.now() };
      setNotOurs(false);
      vibrate(60);
      const shortCode = method === 'manual' ? parsed.code : undefined;
      setResult({
        clientRef: null,
        preview: parsed.preview,
        shortCode,
        phase: { kind: 'sending' },
      });
      try {
        const { item, result: sent } = await enqueue({
          eventId,
          code: parsed.code,
          method,
          preview: parsed.preview,
        });
        const phase: ScanPhase =
          sent.kind === 'synced'
            ? { kind: 'synced', outcome: sent.outcome }
            : sent.kind === 'failed'
              ? { kind: 'failed', code: sent.error.code }
              : { kind: 'pending' };
        if (phase.kind === 'synced' && !phase.outcome.created) vibrate([40, 60, 40]);
        // Refused while the person is looking: the reason is on screen, no need to keep it.
        if (phase.kind === 'failed') void dismiss(item.clientRef);
        setResult({ clientRef: item.clientRef, preview: parsed.preview, shortCode, phase });
      } catch {
        setResult({
          clientRef: null,
          preview: parsed.preview,
          phase: { kind: 'failed', code: '' },
        });
      }
    },
    [enqueue, dismiss, eventId],
  );

  // A scan saved offline may sync while its result is still on screen.
  useEffect(
    () =>
      onScanSynced((clientRef, outcome) => {
        setResult((current) =>
          current && current.clientRef === clientRef
            ? { ...current, phase: { kind: 'synced', outcome } }
            : current,
        );
      }),
    [],
  );

  const next = () => {
    busy.current = false;
    lastHandled.current = lastHandled.current && { ...lastHandled.current, at: Date.now() };
    setResult(null);
  };

  const nfc = useNfcScan((text) => void handle(text, 'nfc'));
  const showManual = mode === 'manual' || problem !== null;

  return (
    <section className="page scan" aria-labelledby="scan-title">
      <h1 id="scan-title" className="visually-hidden">
        {t('scan.title')}
      </h1>
      <div className="scan-stage" hidden={result !== null}>
        {problem && (
          <div className="scan-problem" role="alert">
            <p>{t(PROBLEM_MESSAGE[problem])}</p>
            {problem !== 'unsupported' && (
              <button
                type="button"
                className="button button-ghost"
                onClick={() => {
                  setProblem(null);
                  setMode('camera');
                  setCameraAttempt((n) => n + 1);
                }}
              >
                {t('scan.cameraRetry')}
              </button>
            )}
          </div>
        )}
        {!problem && mode === 'camera' && visible && (
          <CameraScanner
            key={cameraAttempt}
            paused={result !== null}
            onDetect={(text) => void handle(text, 'qr')}
            onProblem={setProblem}
          />
        )}
        {notOurs && !showManual && (
          <p className="scan-not-ours" role="status">
            {t('scan.notOurs')}
          </p>
        )}
        {nfc.state !== 'unsupported' && (
          <div className="scan-nfc">
            <button
              type="button"
              className="button button-ghost"
              onClick={() => void nfc.start()}
              disabled={nfc.state === 'listening'}
            >
              <span aria-hidden="true">📶</span> {t('scan.nfcRead')}
            </button>
            {nfc.state === 'listening' && <p className="hint">{t('scan.nfcListening')}</p>}
            {nfc.state === 'error' && <p className="hint">{t('scan.nfcError')}</p>}
          </div>
        )}
        <div className="bottom-actions">
          {showManual ? (
            <>
              <ManualCodeForm onSubmit={(code) => void handle(code, 'manual')} />
              {!problem && (
                <button
                  type="button"
                  className="button button-ghost"
                  onClick={() => setMode('camera')}
                >
                  {t('scan.backToCamera')}
                </button>
              )}
            </>
          ) : (
            <button type="button" className="button button-ghost" onClick={() => setMode('manual')}>
              <span aria-hidden="true">⌨</span> {t('scan.typeCode')}
            </button>
          )}
        </div>
      </div>
      {result && (
        <ScanResult
          phase={result.phase}
          preview={result.preview}
          shortCode={result.shortCode}
          onNext={next}
        />
      )}
    </section>
  );
}
