import { NavLink } from 'react-router';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/catalog';

const ICONS = {
  home: 'M3 11.5 12 4l9 7.5V20a1 1 0 0 1-1 1h-5v-6H9v6H4a1 1 0 0 1-1-1z',
  contacts:
    'M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8Zm-7 9c0-3.3 3.1-6 7-6s7 2.7 7 6v1H2zm15-9a3 3 0 1 0 0-6M18 14c2.4.5 4 2.3 4 4.5V20h-3',
  card: 'M3 5h18v14H3zM7 9.5a2 2 0 1 0 4 0 2 2 0 0 0-4 0ZM5.5 16c.5-1.7 1.8-2.5 3.5-2.5s3 .8 3.5 2.5M14 9h5M14 12h5',
  settings:
    'M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6Zm7.4-3a7.4 7.4 0 0 0-.1-1.2l2-1.6-2-3.4-2.4 1a7.5 7.5 0 0 0-2-1.2L14.5 3h-5l-.4 2.6a7.5 7.5 0 0 0-2 1.2l-2.4-1-2 3.4 2 1.6a7.4 7.4 0 0 0 0 2.4l-2 1.6 2 3.4 2.4-1a7.5 7.5 0 0 0 2 1.2l.4 2.6h5l.4-2.6a7.5 7.5 0 0 0 2-1.2l2.4 1 2-3.4-2-1.6c.1-.4.1-.8.1-1.2Z',
} as const;

const ITEMS: { to: string; label: MessageKey; icon: keyof typeof ICONS; end?: boolean }[] = [
  { to: '/', label: 'nav.home', icon: 'home', end: true },
  { to: '/contacts', label: 'nav.contacts', icon: 'contacts' },
  { to: '/card', label: 'nav.card', icon: 'card' },
  { to: '/settings', label: 'nav.settings', icon: 'settings' },
];

/** The signed-in tab bar, in the thumb zone. */
export function BottomNav() {
  const { t } = useI18n();
  return (
    <nav className="bottom-nav" aria-label={t('nav.main')}>
      {ITEMS.map((item) => (
        <NavLink key={item.to} to={item.to} end={item.end} className="bottom-nav-item">
          <svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true">
            <path d={ICONS[item.icon]} />
          </svg>
          <span>{t(item.label)}</span>
        </NavLink>
      ))}
    </nav>
  );
}
