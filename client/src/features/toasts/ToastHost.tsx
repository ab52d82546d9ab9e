import { useI18n } from '../../i18n/i18n';
import { dismissToast, holdToast, useToasts } from './store';

/** The toast stack, announced politely to screen readers and dismissible. */
export function ToastHost() {
  const { t } = useI18n();
  const toasts = useToasts();
  return (
    <div className="toast-region" aria-live="polite" aria-relevant="additions text">
      {toasts.map((toast) => (
        <div
          key={toast.id}
          className={`toast toast-tone-${toast.tone}`}
          role="status"
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
