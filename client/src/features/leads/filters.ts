import { useCallback, useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import {
  LEAD_RATINGS,
  LEAD_SORTS,
  LEAD_TAG_FILTERS,
  type LeadFilterInput,
  type LeadRating,
  type LeadSort,
  type LeadTagFilter,
} from '../../../../shared/leads';

export interface BoardFilters {
  tag?: LeadTagFilter;
  rating?: LeadRating;
  memberId?: string;
  eventId?: string;
  /** `YYYY-MM-DD` from a date input. */
  from?: string;
  to?: string;
  q?: string;
  sort: LeadSort;
}

const FILTER_KEYS = ['tag', 'rating', 'memberId', 'eventId', 'from', 'to', 'q', 'sort'] as const;
type FilterKey = (typeof FILTER_KEYS)[number];

function pick<T extends string>(allowed: readonly T[], value: string | null): T | undefined {
  return allowed.find((v) => v === value);
}

const ID = /^[a-f0-9]{24}$/i;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The board's filters live in the URL, so a reload, the back button or a shared link
 * shows the same selection, and the export downloads exactly what is on screen.
 */
export function useBoardFilters() {
  const [params, setParams] = useSearchParams();
  const filters = useMemo<BoardFilters>(() => {
    const get = (k: FilterKey) => params.get(k) ?? undefined;
    const id = (k: FilterKey) => (ID.test(get(k) ?? '') ? get(k) : undefined);
    const day = (k: FilterKey) => (DAY.test(get(k) ?? '') ? get(k) : undefined);
    return {
      tag: pick(LEAD_TAG_FILTERS, params.get('tag')),
      rating: pick(LEAD_RATINGS, params.get('rating')),
      memberId: id('memberId'),
      eventId: id('eventId'),
      from: day('from'),
      to: day('to'),
      q: get('q')?.slice(0, 100),
      sort: pick(LEAD_SORTS, params.get('sort')) ?? 'recent',
    };
  }, [params]);

  const update = useCallback(
    (patch: Partial<BoardFilters>) => {
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          for (const [key, value] of Object.entries(patch)) {
            if (value === undefined || value === '') next.delete(key);
            else next.set(key, value);
          }
          if (next.get('sort') === 'recent') next.delete('sort');
          return next;
        },
        { replace: true },
      );
    },
    [setParams],
  );

  const clear = useCallback(() => setParams(new URLSearchParams(), { replace: true }), [setParams]);
  const active = FILTER_KEYS.some((k) => k !== 'sort' && params.get(k));
  return { filters, update, clear, active };
}

/** The server's filter (no sort, no paging): shared by the board, the stats and the export. */
export function toServerFilter(filters: BoardFilters): LeadFilterInput {
  const { sort: _sort, ...rest } = filters;
  const q = rest.q?.trim();
  return { ...rest, q: q ? q : undefined };
}

/** A value that settles `delay` ms after the last change (search as you type). */
export function useDebounced<T>(value: T, delay = 300): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delay);
    return () => clearTimeout(timer);
  }, [value, delay]);
  return settled;
}

/** True while the media query matches (e.g. the laptop table from 900 px). */
export function useMediaQuery(query: string): boolean {
  const [matches, setMatches] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const list = window.matchMedia(query);
    const onChange = () => setMatches(list.matches);
    onChange();
    list.addEventListener('change', onChange);
    return () => list.removeEventListener('change', onChange);
  }, [query]);
  return matches;
}
