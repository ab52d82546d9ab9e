import { Link } from 'react-router';
import { CardView } from '../card/CardView';
import { initials } from '../card/visible';
import { ContactQuickTag } from '../contacts/ContactQuickTag';
import { useI18n } from '../../i18n/i18n';
import type { HandshakeOutcome, ScanPreview } from '../offline/outbox';
import { scanErrorKey } from '../offline/scan-errors';

export type ScanPhase =
  | { kind: 'sending' }
  | { kind: 'synced'; outcome: HandshakeOutcome }
  | { kind: 'pending' }
  | { kind: 'failed'; code: string };

interface Props {
  phase: ScanPhase;
  preview: ScanPreview;
  /** The typed short code, shown while the name is not known yet. */
  shortCode?: string;
  onNext: () => void;
}

/**
 * Right after a scan: who it was (at once, from the code; then the card from the server),
 * one-tap tagging, and "Scan next" under the thumb.
 */
export function ScanResult({ phase, preview, shortCode, onNext }: Props) {
  const { t } = useI18n();
  const synced = phase.kind === 'synced' ? phase.outcome : null;

  return (
    <section
      className={`scan-result scan-result-${phase.kind}`}
      aria-labelledby="scan-result-status"
    >
      <p
        id="scan-result-status"
        className="scan-result-status"
        role="status"
        data-scan-phase={phase.kind}
      >
        <span className="scan-result-icon" aria-hidden="true">
          <StatusIcon kind={phase.kind === 'synced' && !synced?.created ? 'again' : phase.kind} />
        </span>
        <span>
          {phase.kind === 'synced' && (synced?.created ? t('scan.connected') : t('scan.already'))}
          {phase.kind === 'pending' && t('scan.savedOffline')}
          {phase.kind === 'sending' && t('scan.sending')}
          {phase.kind === 'failed' && t('scan.failedTitle')}
        </span>
      </p>

      {phase.kind === 'failed' ? (
        <p className="scan-result-reason">{t(scanErrorKey(phase.code))}</p>
      ) : (
        <div className="scan-result-card">
          {synced ? (
            <CardView card={synced.response.contact.card} headingLevel={2} />
          ) : (
            <PreviewHero preview={preview} shortCode={shortCode} />
          )}
        </div>
      )}

      {synced && <ContactQuickTag contact={synced.response.contact} />}
      {phase.kind === 'pending' && <p className="hint">{t('scan.tagLater')}</p>}

      <div className="bottom-actions scan-result-actions">
        {synced && (
          <Link className="button button-ghost" to={`/contacts/${synced.response.contact.id}`}>
            {t('scan.openContact')}
          </Link>
        )}
        <button type="button" className="button button-primary button-large" onClick={onNext}>
          {t('scan.next')}
        </button>
      </div>
    </section>
  );
}

/** Before the server answers (or while offline): what the code itself told us. */
function PreviewHero({ preview, shortCode }: { preview: ScanPreview; shortCode?: string }) {
  const { t } = useI18n();
  const role =
    [preview.title, preview.company].filter(Boolean).join(' · ') ||
    (shortCode
      ? t('scan.codeLabel', { code: `${shortCode.slice(0, 3)} ${shortCode.slice(3)}` })
      : '');
  return (
    <article className="card-view card-view-compact">
      <div className="card-hero">
        <span className="avatar avatar-initials" aria-hidden="true">
          {preview.fullName ? initials(preview.fullName) : '✓'}
        </span>
        <div className="card-identity">
          <h2 className="card-name">{preview.fullName ?? t('scan.newContact')}</h2>
          {role && <p className="card-title">{role}</p>}
        </div>
      </div>
    </article>
  );
}

/** Drawn, not emoji: they must render the same on every phone and font. */
const ICON_PATHS = {
  synced: 'M5 12.5l4.5 4.5L19 7.5',
  again: 'M19 12a7 7 0 1 1-2.05-4.95M19 4.5V9h-4.5',
  pending: 'M12 6.5V12l3.5 2.5M21 12a9 9 0 1 1-18 0 9 9 0 0 1 18 0z',
  sending: 'M6 12h.01M12 12h.01M18 12h.01',
  failed: 'M12 7v6M12 16.5v.5',
} as const;

function StatusIcon({ kind }: { kind: keyof typeof ICON_PATHS }) {
  return (
    <svg
      viewBox="0 0 24 24"
      width="28"
      height="28"
      fill="none"
      stroke="currentColor"
      strokeWidth={kind === 'sending' ? 4 : 2.5}
      strokeLinecap="round"
      strokeLinejoin="round"
    >
      <path d={ICON_PATHS[kind]} />
    </svg>
  );
}
