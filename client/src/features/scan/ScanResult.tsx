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
  onNext: () => void;
}

/**
 * Right after a scan: who it was (at once, from the code; then the card from the server),
 * one-tap tagging, and "Scan next" under the thumb.
 */
export function ScanResult({ phase, preview, onNext }: Props) {
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
          {phase.kind === 'synced' && (synced?.created ? '✓' : '↺')}
          {phase.kind === 'pending' && '⏳'}
          {phase.kind === 'sending' && '…'}
          {phase.kind === 'failed' && '!'}
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
            <PreviewHero preview={preview} />
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
        <button
          type="button"
          className="button button-primary button-large"
          onClick={onNext}
          autoFocus
        >
          <span aria-hidden="true">📷</span> {t('scan.next')}
        </button>
      </div>
    </section>
  );
}

/** Before the server answers (or while offline): what the code itself told us. */
function PreviewHero({ preview }: { preview: ScanPreview }) {
  const { t } = useI18n();
  const role = [preview.title, preview.company].filter(Boolean).join(' · ');
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
