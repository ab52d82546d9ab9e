/**
 * Web NFC (Chrome on Android only). The DOM typings do not include it yet, so the few
 * members used here are declared, and every use is feature-detected.
 */
export interface NdefRecordLike {
  recordType: string;
  data?: DataView | ArrayBuffer | string;
  encoding?: string;
}

export interface NdefReadingEventLike extends Event {
  serialNumber: string;
  message: { records: readonly NdefRecordLike[] };
}

export interface NdefReaderLike extends EventTarget {
  scan(options?: { signal?: AbortSignal }): Promise<void>;
  write(
    message: { records: NdefRecordLike[] },
    options?: { signal?: AbortSignal; overwrite?: boolean },
  ): Promise<void>;
}

type NdefReaderConstructor = new () => NdefReaderLike;

export function nfcSupported(): boolean {
  return typeof window !== 'undefined' && 'NDEFReader' in window;
}

export function createNdefReader(): NdefReaderLike | null {
  if (!nfcSupported()) return null;
  const ctor = (window as unknown as { NDEFReader: NdefReaderConstructor }).NDEFReader;
  return new ctor();
}

/** The URL or text an NFC badge carries, if any. */
export function readNdefText(event: NdefReadingEventLike): string | null {
  for (const record of event.message.records) {
    if (record.recordType !== 'url' && record.recordType !== 'text') continue;
    const { data } = record;
    if (typeof data === 'string') return data;
    if (data) return new TextDecoder(record.encoding ?? 'utf-8').decode(data);
  }
  return null;
}
