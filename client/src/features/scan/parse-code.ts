import {
  compactCodeLabel,
  EXCHANGE_URL_PATH,
  normalizeShortCode,
  SHORT_CODE_PATTERN,
} from '../../../../shared/exchange';
import type { ScanPreview } from '../offline/outbox';

/** A code worth sending to the server, with what it tells us about its owner. */
export interface ParsedCode {
  code: string;
  preview: ScanPreview;
}

/**
 * Accepts what a QR, an NFC badge or a person provides: a card URL (`…/x/<token>`, any host,
 * since the server may sit behind a proxy with its own public address) or a short code.
 * Anything else (a Wi-Fi QR, a website) is not ours and returns null.
 */
export function parseScannedCode(raw: string): ParsedCode | null {
  const text = raw.trim();
  const short = normalizeShortCode(text);
  if (SHORT_CODE_PATTERN.test(short)) return { code: short, preview: {} };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (!url.pathname.startsWith(EXCHANGE_URL_PATH)) return null;
  const token = decodeURIComponent(url.pathname.slice(EXCHANGE_URL_PATH.length));
  if (!token || token.includes('/')) return null;
  // The name the code carries is shown at once (offline too), until the server answers.
  const fullName = compactCodeLabel(token);
  return { code: text, preview: fullName ? { fullName } : {} };
}
