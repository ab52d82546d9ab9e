import { createStore, del, set, values, type UseStore } from 'idb-keyval';
import type { OutboxItem } from './types';

/**
 * The outbox's persistent half: every scan is written to IndexedDB before the network is
 * tried, and removed only after the server acknowledged it. Readers get an immutable
 * snapshot so React can subscribe with `useSyncExternalStore`.
 */
type Listener = () => void;

let idb: UseStore | null = null;
let loaded: Promise<void> | null = null;
let items: readonly OutboxItem[] = [];
/** True when IndexedDB could not be opened (some private modes): scans then live in memory. */
let memoryOnly = false;
const listeners = new Set<Listener>();

function store(): UseStore | null {
  if (memoryOnly) return null;
  if (!idb) {
    try {
      idb = createStore('coopetition-outbox', 'scans');
    } catch {
      memoryOnly = true;
    }
  }
  return idb;
}

function emit(next: readonly OutboxItem[]): void {
  items = [...next].sort((a, b) => a.scannedAt.localeCompare(b.scannedAt));
  for (const listener of listeners) listener();
}

/** Loads what previous visits left behind; safe to call many times. */
export function loadOutbox(): Promise<void> {
  loaded ??= (async () => {
    const db = store();
    if (!db) return;
    try {
      const saved = await values<OutboxItem>(db);
      const known = new Set(items.map((i) => i.clientRef));
      emit([...items, ...saved.filter((i) => !known.has(i.clientRef))]);
    } catch {
      memoryOnly = true;
    }
  })();
  return loaded;
}

export function getOutboxItems(): readonly OutboxItem[] {
  return items;
}

export function isOutboxPersistent(): boolean {
  return !memoryOnly;
}

export function subscribeOutbox(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Saves (inserts or replaces) an item; resolves once it is on disk. */
export async function putOutboxItem(item: OutboxItem): Promise<void> {
  const db = store();
  if (db) {
    try {
      await set(item.clientRef, item, db);
    } catch {
      memoryOnly = true;
    }
  }
  emit([...items.filter((i) => i.clientRef !== item.clientRef), item]);
}

export async function removeOutboxItem(clientRef: string): Promise<void> {
  const db = store();
  if (db) {
    try {
      await del(clientRef, db);
    } catch {
      // The in-memory copy goes regardless; a stale disk copy is re-sent with the same
      // clientRef and the server answers 200, so nothing is duplicated.
    }
  }
  emit(items.filter((i) => i.clientRef !== clientRef));
}
