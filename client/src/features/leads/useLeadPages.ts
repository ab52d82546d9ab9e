import { useCallback, useEffect, useState } from 'react';
import type { LeadSummaryDto } from '../../../../shared/leads';
import { useLoad } from '../teams/useLoad';
import { toServerFilter, type BoardFilters } from './filters';
import { leadsApi } from './leadsApi';

const PAGE = 50;

/**
 * The board's leads, one page at a time ("Load more" appends the next page). Changing a
 * filter starts again from the first page.
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

  return {
    status: first.status,
    error: first.error,
    reload: first.reload,
    items,
    hasMore: cursor !== null,
    loadMore,
    loadingMore,
    moreError,
    /** True only before the first answer: later reloads keep the list on screen. */
    initialLoading: first.status === 'loading' && !first.data,
  };
}
