import { Link } from 'react-router';
import { useI18n } from '../i18n/i18n';

export function NotFound() {
  const { t } = useI18n();
  return (
    <section className="page page-centered">
      <h1>{t('notFound.title')}</h1>
      <Link className="button button-primary" to="/">
        {t('notFound.back')}
      </Link>
    </section>
  );
}
