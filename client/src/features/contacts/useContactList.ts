import { useCallback, useEffect, useRef, useState } from 'react';
import type { ContactDto } from '../../../../shared/contacts';
import { useRealtimeEvent } from '../../realtime/useRealtime';
import { listContacts, type ContactQuery } from './contactsApi';

export interface ContactList {
  status: 'loading' | 'ready' | 'error';
  items: ContactDto[];
  error: unknown;
  hasMore: boolean;
  loadingMore: boolean;
  loadMore: () => void;
  reload: () => void;
}

/**
 * A page of contacts for a query, with "load more" and fresh data whenever the live
 * connection says something changed (a new handshake, a reconnect after a gap).
 */
export function useContactList(query: ContactQuery, limit = 20): ContactList {
  const [state, setState] = useState<Omit<ContactList, 'loadMore' | 'reload'>>({
    status: 'loading',
    items: [],
    error: null,
    hasMore: false,
    loadingMore: false,
  });
  const cursor = useRef<string | null>(null);
  const generation = useRef(0);
  const key = JSON.stringify(query);
  const [reloadTick, setReloadTick] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    generation.current += 1;
    const mine = generation.current;
    setState((prev) => ({ ...prev, status: prev.items.length ? prev.status : 'loading' }));
    listContacts({ ...(JSON.parse(key) as ContactQuery), limit }, controller.signal).then(
      (page) => {
        if (mine !== generation.current) return;
        cursor.current = page.nextCursor;
        setState({
          status: 'ready',
          items: page.items,
          error: null,
          hasMore: page.nextCursor !== null,
          loadingMore: false,
        });
      },
      (err: unknown) => {
        if (mine !== generation.current || controller.signal.aborted) return;
        setState((prev) => ({
          ...prev,
          status: prev.items.length ? 'ready' : 'error',
          error: err,
        }));
      },
    );
    return () => controller.abort();
  }, [key, limit, reloadTick]);

  const reload = useCallback(() => setReloadTick((n) => n + 1), []);

  const loadMore = useCallback(() => {
    const next = cursor.current;
    if (!next) return;
    const mine = generation.current;
    setState((prev) => ({ ...prev, loadingMore: true }));
    listContacts({ ...(JSON.parse(key) as ContactQuery), limit, cursor: next }).then(
      (page) => {
        if (mine !== generation.current) return;
        cursor.current = page.nextCursor;
        setState((prev) => {
          const seen = new Set(prev.items.map((c) => c.id));
          return {
            ...prev,
            items: [...prev.items, ...page.items.filter((c) => !seen.has(c.id))],
            hasMore: page.nextCursor !== null,
            loadingMore: false,
          };
        });
      },
      (err: unknown) => setState((prev) => ({ ...prev, loadingMore: false, error: err })),
    );
  }, [key, limit]);

  useRealtimeEvent('resync', reload);
  useRealtimeEvent('handshake:created', reload);
  useRealtimeEvent('contact:updated', ({ contact }) => {
    setState((prev) => ({
      ...prev,
      items: prev.items.map((c) => (c.id === contact.id ? contact : c)),
    }));
  });

  return { ...state, loadMore, reload };
}
