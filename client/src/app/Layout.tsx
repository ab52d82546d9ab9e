import { lazy, Suspense, useEffect, useRef } from 'react';
import { Link, Outlet, useLocation } from 'react-router';
import { OfflineBanner } from '../features/offline/OfflineBanner';
import { ToastHost } from '../features/toasts/ToastHost';
import { LOCALES, useI18n, type Locale } from '../i18n/i18n';
import { BottomNav } from './BottomNav';
import { PageSkeleton } from './PageSkeleton';
import { useSession } from './session';

// Live updates (and socket.io-client) load only once someone is signed in.
const LiveNotifications = lazy(() =>
  import('../features/toasts/LiveNotifications').then((m) => ({ default: m.LiveNotifications })),
);

/** Screens that take the whole phone (the code, the camera, a shared card). */
const FULL_SCREEN = /^\/(code|scan|x\/)/;

export function Layout() {
  const { t, locale, setLocale } = useI18n();
  const { status } = useSession();
  const { pathname } = useLocation();
  const signedIn = status === 'signedIn';
  const showNav = signedIn && !FULL_SCREEN.test(pathname);

  // A new screen starts at its top, not where the previous one was scrolled to, and
  // keyboard and screen-reader users land in it (not on the link they left).
  const firstRender = useRef(true);
  useEffect(() => {
    window.scrollTo(0, 0);
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    document.getElementById('main')?.focus({ preventScroll: true });
  }, [pathname]);
  return (
    <div className={showNav ? 'shell shell-with-nav' : 'shell'}>
      <a className="skip-link" href="#main">
        {t('nav.skipToContent')}
      </a>
      <header className="topbar">
        <Link to="/" className="brand" aria-label={t('app.name')}>
          <img src="/icon.svg" alt="" width={28} height={28} />
          <span>{t('app.name')}</span>
        </Link>
        <label className="lang-switch">
          <span className="visually-hidden">{t('lang.label')}</span>
          <select value={locale} onChange={(e) => setLocale(e.target.value as Locale)}>
            {LOCALES.map((l) => (
              <option key={l} value={l}>
                {l.toUpperCase()}
              </option>
            ))}
          </select>
        </label>
      </header>
      <OfflineBanner />
      <main id="main" className="content" tabIndex={-1}>
        <Suspense fallback={<PageSkeleton />}>
          <Outlet />
        </Suspense>
      </main>
      {showNav && <BottomNav />}
      <ToastHost />
      {signedIn && (
        <Suspense fallback={null}>
          <LiveNotifications />
        </Suspense>
      )}
    </div>
  );
}
