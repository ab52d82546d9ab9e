/** How a code reached the phone; the server logs it on the handshake. */
export type ScanMethod = 'qr' | 'nfc' | 'manual';

/** What the scanned code itself tells us about the person, before any network answer. */
export interface ScanPreview {
  fullName?: string;
  company?: string;
  title?: string;
}

/** A scan as the scanner hands it to the outbox. */
export interface ScanInput {
  eventId: string;
  code: string;
  method: ScanMethod;
  preview?: ScanPreview;
}

/**
 * A scan kept on the phone until the server has acknowledged it. `clientRef` is made on
 * the device before the first attempt and sent on every retry, so retries are idempotent.
 * `ownerId` keeps one person's scans from being sent under another account.
 */
export interface OutboxItem extends ScanInput {
  clientRef: string;
  ownerId: string;
  /** ISO time on the device clock when the code was read. */
  scannedAt: string;
  status: 'pending' | 'failed';
  attempts: number;
  /** Epoch ms before which no automatic retry is made. */
  nextAttemptAt: number;
  /** The server's final refusal, shown to the person (never retried automatically). */
  error?: { code: string; message: string };
}
