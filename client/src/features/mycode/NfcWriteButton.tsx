import { useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { createNdefReader, nfcSupported } from './web-nfc';

type WriteState = 'idle' | 'writing' | 'done' | 'error';

/** Writes the long-lived badge URL to an NFC sticker; not rendered where Web NFC is absent. */
export function NfcWriteButton({ url }: { url: string | null }) {
  const { t } = useI18n();
  const [state, setState] = useState<WriteState>('idle');
  if (!nfcSupported() || !url) return null;

  const write = async () => {
    const reader = createNdefReader();
    if (!reader) return;
    setState('writing');
    try {
      await reader.write({ records: [{ recordType: 'url', data: url }] });
      setState('done');
    } catch {
      setState('error');
    }
  };

  return (
    <div className="nfc-write">
      <button
        type="button"
        className="button button-ghost"
        onClick={() => void write()}
        disabled={state === 'writing'}
      >
        <span aria-hidden="true">📶</span> {t('mycode.nfcWrite')}
      </button>
      <p className="hint" role="status">
        {state === 'writing' && t('mycode.nfcWriting')}
        {state === 'done' && t('mycode.nfcDone')}
        {state === 'error' && t('mycode.nfcError')}
      </p>
    </div>
  );
}
