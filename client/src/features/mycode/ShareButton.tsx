import { useEffect, useState } from 'react';
import { useI18n } from '../../i18n/i18n';

/** Shares my card link through the phone's share sheet, else copies it. */
export function ShareButton({ url }: { url: string | null }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);

  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 2_500);
    return () => clearTimeout(timer);
  }, [copied]);

  const share = async () => {
    if (!url) return;
    if (typeof navigator.share === 'function') {
      try {
        await navigator.share({ title: t('app.name'), url });
        return;
      } catch (err) {
        // Cancelling the share sheet is a choice, not a failure.
        if (err instanceof DOMException && err.name === 'AbortError') return;
      }
    }
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
    } catch {
      window.prompt(t('mycode.share'), url);
    }
  };

  return (
    <>
      <button
        type="button"
        className="button button-ghost"
        onClick={() => void share()}
        disabled={!url}
      >
        <span aria-hidden="true">↗</span> {t('mycode.share')}
      </button>
      <p className="mycode-copied" role="status">
        {copied ? t('mycode.copied') : ''}
      </p>
    </>
  );
}
