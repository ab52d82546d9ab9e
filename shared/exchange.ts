import { z } from 'zod';
import type { VisibleCardDto } from './card';
import type { ContactDto } from './contacts';
import { JOIN_CODE_ALPHABET } from './events';

/**
 * Exchange codes and handshakes: what the "My code" screen shows, what the scanner sends,
 * and the public card page behind a code.
 */

export const EXCHANGE_LIMITS = {
  /** An on-screen exchange code (token and short code) is valid this long. */
  codeTtlSeconds: 120,
  /** A scan made offline is accepted if it reaches the server within this window. */
  offlineWindowSeconds: 24 * 60 * 60,
  /** How far ahead of the server clock a device's `scannedAt` may be. */
  clockSkewSeconds: 120,
  /** Longest `code` accepted (a full URL with a badge token fits comfortably). */
  maxCodeLength: 1024,
  maxClientRefLength: 128,
} as const;

/**
 * Short codes for manual entry: same look-alike-free alphabet as join codes (no 0/O,
 * 1/I/L), so people can read them aloud and type them on a phone.
 */
export const SHORT_CODE_ALPHABET = JOIN_CODE_ALPHABET;
export const SHORT_CODE_LENGTH = 6;
export const SHORT_CODE_PATTERN = new RegExp(`^[${SHORT_CODE_ALPHABET}]{${SHORT_CODE_LENGTH}}$`);

/** Normalises what people type for a short code: spaces and dashes dropped, upper case. */
export function normalizeShortCode(value: string): string {
  return value.replace(/[\s-]/g, '').toUpperCase();
}

/** Path prefix of the public card page; the QR encodes `PUBLIC_URL + EXCHANGE_URL_PATH + token`. */
export const EXCHANGE_URL_PATH = '/x/';

export const HANDSHAKE_METHODS = ['qr', 'nfc', 'link', 'manual'] as const;
export type HandshakeMethod = (typeof HANDSHAKE_METHODS)[number];

/** Printable ASCII, no spaces: safe to log and to use as an idempotency key. */
export const ClientRefSchema = z
  .string({ error: 'clientRef must be text.' })
  .min(1, 'clientRef must not be empty.')
  .max(
    EXCHANGE_LIMITS.maxClientRefLength,
    `clientRef must be at most ${EXCHANGE_LIMITS.maxClientRefLength} characters.`,
  )
  .regex(/^[\x21-\x7e]+$/, 'clientRef must be printable ASCII without spaces.');

/**
 * `POST /api/events/:eventId/handshakes`. `code` is the token, the full URL
 * (`…/x/<token>`) or the 6-character short code (any case). `scannedAt` is the device
 * clock at the moment of the scan (offline scans arrive later). `clientRef` (or the
 * `Idempotency-Key` header) makes retries safe: the same value never counts twice.
 */
export const HandshakeCreateSchema = z.strictObject({
  code: z
    .string({ error: 'code must be text.' })
    .trim()
    .min(1, 'Enter or scan a code.')
    .max(EXCHANGE_LIMITS.maxCodeLength, 'This code is too long.'),
  method: z.enum(HANDSHAKE_METHODS, { error: 'method must be qr, nfc, link or manual.' }),
  scannedAt: z.iso
    .datetime({ offset: true, error: 'scannedAt must be a date and time (ISO 8601).' })
    .optional(),
  clientRef: ClientRefSchema.optional(),
});
export type HandshakeCreateInput = z.input<typeof HandshakeCreateSchema>;
export type HandshakeCreate = z.output<typeof HandshakeCreateSchema>;

/** `GET /api/events/:eventId/exchange-code`: refresh it before `expiresAt` while shown. */
export interface ExchangeCodeResponse {
  token: string;
  /** What the QR encodes: `PUBLIC_URL/x/<token>`. */
  url: string;
  /** 6 characters for manual entry, valid as long as the token. */
  shortCode: string;
  expiresAt: string;
}

/**
 * `GET /api/events/:eventId/badge-code` and `POST …/badge-code/rotate`: a long-lived
 * code for a printed badge or an NFC sticker. Rotating it revokes the previous one at once.
 */
export interface BadgeCodeResponse {
  token: string;
  url: string;
}

/** A handshake as one of its two people sees it. */
export interface HandshakeDto {
  id: string;
  eventId: string;
  /** The other person in the handshake. */
  otherUserId: string;
  /** True when I scanned first. */
  initiatedByMe: boolean;
  method: HandshakeMethod;
  /** Device clock of the first scan. */
  scannedAt: string;
  /** Server clock when the first scan arrived. */
  receivedAt: string;
  scanCount: number;
  /** True once the second person scanned back. */
  mutual: boolean;
  createdAt: string;
  updatedAt: string;
}

/** 201 the first time, 200 (same handshake) for a re-scan or a retried clientRef. */
export interface HandshakeResponse {
  handshake: HandshakeDto;
  /** The scanner's contact for the person scanned. */
  contact: ContactDto;
}

/** `GET /api/x/:token` (no account needed). */
export interface PublicCardResponse {
  card: VisibleCardDto;
  event: { id: string; name: string; joinCode: string };
  /** When the code stops working; null for a badge code (valid until rotated). */
  expiresAt: string | null;
}

/** Error codes of this feature (status in brackets). */
export const EXCHANGE_ERROR_CODES = [
  'code_invalid', // 404: unknown, forged, tampered, revoked or wrong kind
  'code_expired', // 410
  'code_wrong_event', // 422: a valid code for another event
  'self_handshake', // 422
  'scanned_at_in_future', // 422
  'scanned_at_too_old', // 422: arrived more than 24 h after the scan
  'event_not_found', // 404: no such event or not a member
  'rate_limited', // 429
  'validation_failed', // 400
] as const;
export type ExchangeErrorCode = (typeof EXCHANGE_ERROR_CODES)[number];
