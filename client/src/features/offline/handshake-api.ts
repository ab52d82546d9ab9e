import type { HandshakeCreateInput, HandshakeResponse } from '../../../../shared/exchange';
import { apiRequest } from '../../api';
import type { OutboxItem } from './types';

/** The server's answer to a scan, and whether it made a new connection. */
export interface HandshakeOutcome {
  response: HandshakeResponse;
  /**
   * False when the two people were already connected (the server answers 200 with the
   * existing handshake and counts the scan again). A retried clientRef returns the same
   * handshake without counting, so a first scan stays "new" however often it was retried.
   */
  created: boolean;
}

export async function postHandshake(
  item: OutboxItem,
  signal?: AbortSignal,
): Promise<HandshakeOutcome> {
  const body: HandshakeCreateInput = {
    code: item.code,
    method: item.method,
    scannedAt: item.scannedAt,
    clientRef: item.clientRef,
  };
  const response = await apiRequest<HandshakeResponse>(
    `/events/${encodeURIComponent(item.eventId)}/handshakes`,
    { method: 'POST', body, headers: { 'Idempotency-Key': item.clientRef }, signal },
  );
  return { response, created: response.handshake.scanCount <= 1 };
}
