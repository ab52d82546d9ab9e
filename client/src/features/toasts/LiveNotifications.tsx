import { useEffect, useState } from 'react';
import type { ContactTag } from '../../../../shared/contacts';
import type { RealtimeHandshakeCreated } from '../../../../shared/realtime';
import { useSession } from '../../app/session';
import { errorMessage } from '../../app/validation';
import { useI18n } from '../../i18n/i18n';
import { useRealtimeEvent } from '../../realtime/useRealtime';
import { updateContact } from '../contacts/contactsApi';
import { TagIcon } from '../contacts/TagIcon';
import { TAG_WORD } from '../contacts/tags';
import { dismissToast, holdToast, showToast } from './store';

/**
 * Signed-in only: keeps the live connection open and turns pushes into toasts. Someone
 * scanned me → who, with one-tap tagging; both tagged co-operation → a small celebration.
 */
export function LiveNotifications() {
  const { t } = useI18n();
  const { accessToken } = useSession();
  const hasToken = accessToken !== null;

  useEffect(() => {
    if (!hasToken) return;
    let stop: (() => void) | undefined;
    let cancelled = false;
    void import('../../realtime/connection').then(({ connectRealtime }) => {
      if (!cancelled) stop = connectRealtime();
    });
    return () => {
      cancelled = true;
      stop?.();
    };
  }, [hasToken]);

  useRealtimeEvent('handshake:created', (payload) => {
    // My own scans are confirmed on the scanner; a re-scan is not news.
    if (payload.initiatedByMe || payload.scanCount > 1) return;
    const name = payload.other.company
      ? t('live.nameWithCompany', { name: payload.other.fullName, company: payload.other.company })
      : payload.other.fullName;
    const id = `handshake-${payload.handshakeId}`;
    showToast({
      id,
      tone: 'info',
      title: t('live.connected', { name }),
      body: <TagNow toastId={id} payload={payload} />,
      duration: 12_000,
    });
  });

  useRealtimeEvent('match:cooperation', (payload) => {
    showToast({
      id: `match-${payload.contactId}`,
      tone: 'celebrate',
      title: t('live.match', { name: payload.other.fullName }),
      body: (
        <p className="toast-body">
          <span className="celebration" aria-hidden="true">
            <TagIcon tag="cooperation" size={28} />
          </span>
          {t('live.matchLead')}
        </p>
      ),
      duration: 9_000,
    });
  });

  return null;
}

function TagNow({ toastId, payload }: { toastId: string; payload: RealtimeHandshakeCreated }) {
  const { t } = useI18n();
  const [tag, setTag] = useState<ContactTag | null>(null);
  const [error, setError] = useState<string | null>(null);

  const choose = async (next: ContactTag) => {
    holdToast(toastId);
    setTag(next);
    setError(null);
    try {
      await updateContact(payload.contactId, { tag: next });
      setTimeout(() => dismissToast(toastId), 1_500);
    } catch (err) {
      setTag(null);
      setError(errorMessage(err, t));
    }
  };

  return (
    <div className="toast-actions">
      {(['cooperation', 'competition'] as const).map((value) => (
        <button
          key={value}
          type="button"
          className={`tag-button tag-button-${value} tag-button-small`}
          aria-pressed={tag === value}
          onClick={() => void choose(value)}
        >
          <TagIcon tag={value} size={20} /> {t(TAG_WORD[value])}
        </button>
      ))}
      {error && <p className="toast-error">{error}</p>}
    </div>
  );
}
