import { useI18n } from '../i18n/i18n';

/** Placeholder while a screen's code or data loads: shapes, not a spinner. */
export function PageSkeleton({ rows = 3 }: { rows?: number }) {
  const { t } = useI18n();
  return (
    <section className="page" aria-busy="true" aria-label={t('common.loading')}>
      <div className="skeleton skeleton-title" />
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="skeleton skeleton-block" />
      ))}
    </section>
  );
}
