import {
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

function base64UrlJson(segment: string): unknown {
  const base64 = segment.replace(/-/g, '+').replace(/_/g, '/');
  const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
  const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

/**
 * Reads the display claims a signed code may carry (name, company) so the scanned person
 * can be shown at once, even offline. Unverified on purpose: only the server trusts a code;
 * this is a label for the screen until its answer arrives.
 */
function previewFromToken(token: string): ScanPreview {
  const payload = token.split('.')[1];
  if (!payload) return {};
  try {
    const claims = base64UrlJson(payload);
    if (typeof claims !== 'object' || claims === null) return {};
    const pick = (key: string) => {
      const value = (claims as Record<string, unknown>)[key];
      return typeof value === 'string' && value.length <= 120 ? value : undefined;
    };
    const preview: ScanPreview = {};
    const fullName = pick('name') ?? pick('fullName');
    const company = pick('company');
    const title = pick('title');
    if (fullName) preview.fullName = fullName;
    if (company) preview.company = company;
    if (title) preview.title = title;
    return preview;
  } catch {
    return {};
  }
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
  return { code: text, preview: previewFromToken(token) };
}
