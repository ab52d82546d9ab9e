import type { MessageKey } from '../../i18n/catalog';

/** What to tell a person about a scan the server refused, by stable error code. */
const REASONS: Record<string, MessageKey> = {
  code_invalid: 'scanError.codeInvalid',
  code_expired: 'scanError.codeExpired',
  code_wrong_event: 'scanError.wrongEvent',
  self_handshake: 'scanError.self',
  scanned_at_in_future: 'scanError.clock',
  scanned_at_too_old: 'scanError.tooOld',
  event_not_found: 'scanError.eventNotFound',
  validation_failed: 'scanError.codeInvalid',
};

export function scanErrorKey(code: string): MessageKey {
  return REASONS[code] ?? 'scanError.generic';
}
