import { useI18n } from '../../i18n/i18n';
import { dismissToast, holdToast, useToasts } from './store';

/** The toast stack, announced politely to screen readers and dismissible. */
export function ToastHost() {
  const { t } = useI18n();
  const toasts = useToasts();
  return (
    // One polite live region for the stack (toasts inside it are not live regions of
    // their own, or screen readers would announce them twice).
    <div className="toast-region" aria-live="polite" aria-relevant="additions text">
      {toasts.map((toast) => (
        <div
          key={toast.id}
          className={`toast toast-tone-${toast.tone}`}
          onPointerDown={() => holdToast(toast.id)}
          onFocus={() => holdToast(toast.id)}
        >
          <div className="toast-content">
            <p className="toast-title">{toast.title}</p>
            {toast.body}
          </div>
          <button
            type="button"
            className="toast-close"
            aria-label={t('toast.dismiss')}
            onClick={() => dismissToast(toast.id)}
          >
            <span aria-hidden="true">×</span>
          </button>
        </div>
      ))}
    </div>
  );
}
