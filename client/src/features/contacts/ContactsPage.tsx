import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { ContactTagFilter } from '../../../../shared/contacts';
import { CONTACT_LIMITS, CONTACT_TAG_FILTERS } from '../../../../shared/contacts';
import { errorMessage } from '../../app/validation';
import type { MessageKey } from '../../i18n/catalog';
import { useI18n } from '../../i18n/i18n';
import { ContactRow, ContactRowSkeleton } from './ContactRow';
import { ExportMenu } from './ExportMenu';
import { TagIcon } from './TagIcon';
import { useContactList } from './useContactList';

const FILTER_WORD: Record<ContactTagFilter | 'all', MessageKey> = {
  all: 'contacts.filter.all',
  cooperation: 'contacts.tag.cooperation',
  competition: 'contacts.tag.competition',
  untagged: 'contacts.filter.untagged',
};

function isFilter(value: string | null): value is ContactTagFilter {
  return (CONTACT_TAG_FILTERS as readonly string[]).includes(value ?? '');
}

/** `/contacts`: everyone I met, filtered by tag and searched by name or company. */
export function ContactsPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const tagParam = params.get('tag');
  const tag = isFilter(tagParam) ? tagParam : undefined;
  const [search, setSearch] = useState(params.get('q') ?? '');
  const [q, setQ] = useState(search.trim());

  // Debounced: one request when the person pauses typing, not one per letter.
  useEffect(() => {
    const timer = setTimeout(() => setQ(search.trim()), 300);
    return () => clearTimeout(timer);
  }, [search]);

  useEffect(() => {
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (q) next.set('q', q);
        else next.delete('q');
        return next;
      },
      { replace: true },
    );
  }, [q, setParams]);

  const list = useContactList({ tag, q: q || undefined });
  const filtering = Boolean(tag || q);

  const setTag = (value: ContactTagFilter | undefined) => {
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set('tag', value);
        else next.delete('tag');
        return next;
      },
      { replace: true },
    );
  };

  return (
    <section className="page contacts-page">
      <div className="page-header">
        <h1>{t('contacts.title')}</h1>
      </div>
      <label className="field search-field">
        <span className="visually-hidden">{t('contacts.search')}</span>
        <input
          type="search"
          value={search}
          maxLength={CONTACT_LIMITS.search}
          placeholder={t('contacts.searchPlaceholder')}
          onChange={(e) => setSearch(e.target.value)}
        />
      </label>
      <div className="filter-chips" role="group" aria-label={t('contacts.filterLabel')}>
        {(['all', ...CONTACT_TAG_FILTERS] as const).map((value) => {
          const active = value === 'all' ? !tag : tag === value;
          return (
            <button
              key={value}
              type="button"
              className={`chip chip-${value}`}
              aria-pressed={active}
              onClick={() => setTag(value === 'all' ? undefined : value)}
            >
              {value === 'cooperation' || value === 'competition' ? (
                <TagIcon tag={value} size={18} />
              ) : null}
              {t(FILTER_WORD[value])}
            </button>
          );
        })}
      </div>

      {list.status === 'loading' && (
        <ul className="contact-list" aria-busy="true" aria-label={t('common.loading')}>
          {[0, 1, 2, 3, 4].map((i) => (
            <ContactRowSkeleton key={i} />
          ))}
        </ul>
      )}

      {list.status === 'error' && (
        <div className="empty-state" role="alert">
          <p className="empty-title">{t('contacts.loadFailed')}</p>
          <p className="hint">{errorMessage(list.error, t)}</p>
          <button type="button" className="button button-primary" onClick={list.reload}>
            {t('common.retry')}
          </button>
        </div>
      )}

      {list.status === 'ready' && list.items.length === 0 && (
        <div className="empty-state">
          {!filtering && (
            <span className="empty-icon">
              <TagIcon tag="cooperation" size={56} />
            </span>
          )}
          <p className="empty-title">
            {filtering ? t('contacts.emptyFiltered') : t('contacts.emptyTitle')}
          </p>
          {!filtering && <p className="hint">{t('contacts.emptyLead')}</p>}
          {filtering ? (
            <button
              type="button"
              className="button button-ghost"
              onClick={() => {
                setSearch('');
                setTag(undefined);
              }}
            >
              {t('contacts.clearFilters')}
            </button>
          ) : (
            <Link to="/scan" className="button button-primary button-large">
              {t('contacts.goScan')}
            </Link>
          )}
        </div>
      )}

      {list.status === 'ready' && list.items.length > 0 && (
        <>
          <ul className="contact-list">
            {list.items.map((contact) => (
              <ContactRow key={contact.id} contact={contact} />
            ))}
          </ul>
          {list.hasMore && (
            <button
              type="button"
              className="button button-ghost"
              onClick={list.loadMore}
              disabled={list.loadingMore}
            >
              {list.loadingMore ? t('common.loading') : t('contacts.loadMore')}
            </button>
          )}
          <ExportMenu query={{ tag, q: q || undefined }} filtered={filtering} />
        </>
      )}
    </section>
  );
}
