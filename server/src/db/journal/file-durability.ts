import type { Durability, DurabilityOptions, JournalRecord } from './types';

/** Journal-backed durability under a dbpath. */
export class FileDurability implements Durability {
  constructor(readonly options: DurabilityOptions) {}

  open(): Promise<JournalRecord[]> {
    return Promise.reject(new Error('FileDurability is not built yet'));
  }

  append(): Promise<void> {
    return Promise.reject(new Error('FileDurability is not built yet'));
  }

  compact(): Promise<void> {
    return Promise.reject(new Error('FileDurability is not built yet'));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
