import { useCallback, useEffect, useRef, useState } from 'react';
import type { LeadListResponse, LeadSummaryDto } from '../../../../shared/leads';
import { useLoad } from '../teams/useLoad';
import { toServerFilter, type BoardFilters } from './filters';
import { leadsApi } from './leadsApi';

const PAGE = 50;

/**
 * The board's leads, one page at a time ("Load more" appends the next page). Changing a
 * filter starts again from the first page; `refresh` reads again as many leads as are on
 * screen, keeping the list in place meanwhile (for live updates).
 */
export function useLeadPages(teamId: string, filters: BoardFilters, version: number) {
  const key = JSON.stringify([teamId, filters, version]);
  const first = useLoad(key, (signal) =>
    leadsApi.list(teamId, { ...toServerFilter(filters), sort: filters.sort, limit: PAGE }, signal),
  );
  const [more, setMore] = useState<{ key: string; items: LeadSummaryDto[]; cursor: string | null }>(
    { key, items: [], cursor: null },
  );
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<unknown>(null);

  useEffect(() => {
    setMore({ key, items: [], cursor: null });
    setMoreError(null);
  }, [key]);

  const sameKey = more.key === key;
  const items = [...(first.data?.items ?? []), ...(sameKey ? more.items : [])];
  const cursor = sameKey && more.items.length > 0 ? more.cursor : (first.data?.nextCursor ?? null);

  const loadMore = useCallback(async () => {
    if (!cursor) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await leadsApi.list(teamId, {
        ...toServerFilter(filters),
        sort: filters.sort,
        limit: PAGE,
        cursor,
      });
      setMore((prev) => ({
        key,
        items: [...(prev.key === key ? prev.items : []), ...page.items],
        cursor: page.nextCursor,
      }));
    } catch (err) {
      setMoreError(err);
    } finally {
      setLoadingMore(false);
    }
  }, [cursor, filters, key, teamId]);

  const latest = useRef({ key, shown: items.length, morePages: sameKey && more.items.length > 0 });
  latest.current = { key, shown: items.length, morePages: sameKey && more.items.length > 0 };
  const { reload, setData } = first;
  const refresh = useCallback(async () => {
    const start = latest.current;
    if (!start.morePages) {
      reload();
      return;
    }
    const query = { ...toServerFilter(filters), sort: filters.sort, limit: PAGE };
    const pages: LeadListResponse[] = [];
    let next: string | null = null;
    let count = 0;
    try {
      do {
        const page = await leadsApi.list(teamId, next ? { ...query, cursor: next } : query);
        pages.push(page);
        count += page.items.length;
        next = page.nextCursor;
      } while (next && count < start.shown);
    } catch {
      // The list on screen stays; the next push or a reconnect reads again.
      return;
    }
    const [head, ...rest] = pages;
    if (!head || latest.current.key !== start.key) return;
    setData(head);
    setMore({ key: start.key, items: rest.flatMap((p) => p.items), cursor: next });
  }, [filters, reload, setData, teamId]);

  return {
    status: first.status,
    error: first.error,
    reload: first.reload,
    refresh,
    items,
    hasMore: cursor !== null,
    loadMore,
    loadingMore,
    moreError,
    /** True only before the first answer: later reloads keep the list on screen. */
    initialLoading: first.status === 'loading' && !first.data,
  };
}
