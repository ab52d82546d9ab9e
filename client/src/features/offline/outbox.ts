import { useCallback, useEffect, useMemo, useSyncExternalStore } from 'react';
import { useSession } from '../../app/session';
import {
  dismissScan,
  enqueueScan,
  onScanSynced,
  sendScan,
  setOutboxOwner,
  startOutboxDriver,
  syncNow as syncAll,
  type SendResult,
} from './outbox-sync';
import { getOutboxItems, loadOutbox, subscribeOutbox } from './outbox-store';
import type { OutboxItem, ScanInput } from './types';

export type { OutboxItem, ScanInput, ScanMethod, ScanPreview } from './types';
export type { SendResult } from './outbox-sync';
export type { HandshakeOutcome } from './handshake-api';
export { onScanSynced };

export interface OutboxValue {
  /** Scans of the signed-in person still waiting for the server. */
  pendingCount: number;
  /** This person's scans still on the phone (pending and failed), oldest first. */
  items: readonly OutboxItem[];
  failed: readonly OutboxItem[];
  /** Saves the scan on the phone first, then tries the network once. */
  enqueue: (scan: ScanInput) => Promise<{ item: OutboxItem; result: SendResult }>;
  syncNow: () => Promise<void>;
  dismiss: (clientRef: string) => Promise<void>;
}

/**
 * The scan outbox for the signed-in person. Mounting it (the offline banner does, on every
 * screen) keeps syncing alive and tells the session how many scans are unsynced, so
 * signing out can warn.
 */
export function useOutbox(): OutboxValue {
  const { user, status, reportPendingScans } = useSession();
  const ownerId = status === 'signedIn' && user ? user.id : null;
  const all = useSyncExternalStore(subscribeOutbox, getOutboxItems);

  useEffect(() => {
    void loadOutbox();
    return startOutboxDriver();
  }, []);

  useEffect(() => {
    setOutboxOwner(ownerId);
  }, [ownerId]);

  const items = useMemo(() => all.filter((i) => i.ownerId === ownerId), [all, ownerId]);
  const failed = useMemo(() => items.filter((i) => i.status === 'failed'), [items]);
  const pendingCount = items.length - failed.length;

  useEffect(() => {
    reportPendingScans(pendingCount);
  }, [pendingCount, reportPendingScans]);

  const enqueue = useCallback(
    async (scan: ScanInput) => {
      if (!ownerId) throw new Error('enqueue needs a signed-in person');
      const item = await enqueueScan(ownerId, scan);
      const result = await sendScan(item.clientRef);
      return { item, result };
    },
    [ownerId],
  );

  const syncNow = useCallback(() => syncAll(true), []);

  return { pendingCount, items, failed, enqueue, syncNow, dismiss: dismissScan };
}
