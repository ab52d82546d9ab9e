import { z } from 'zod';
import { CONTROL_CHARACTERS, type VisibleCardDto } from './card';
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

/**
 * Exchange and badge codes (what a QR or an NFC sticker carries after `/x/`): base64url of
 *
 *     kind (1 exchange, 2 badge) | user id (12 bytes) | event id (12)
 *     | expiry in Unix seconds, or badge version (uint32, big-endian)
 *     | name length (1) | the card's name, UTF-8, at most 24 bytes | MAC (16)
 *
 * The MAC (HMAC-SHA256 under the kind's own server key, first 16 bytes) covers everything
 * before it; only the server can check it. The name is there so a scanner shows who was
 * scanned at once, offline too, as a label until the server confirms. 62 to 94 characters:
 * a QR of version 6 or 7 with error correction M, and a badge URL that fits an NTAG213.
 */
const ID_BYTES = 12;
/** Where each field of the head starts (the kind is byte 0). */
const AT = {
  userId: 1,
  eventId: 1 + ID_BYTES,
  value: 1 + 2 * ID_BYTES,
  nameLength: 5 + 2 * ID_BYTES,
};
const HEAD_BYTES = AT.nameLength + 1;
const NAME_MAX_BYTES = 24;
const MAC_BYTES = 16;
/** Unpadded base64url length of `bytes` bytes. */
const base64UrlLength = (bytes: number) => Math.ceil((bytes * 4) / 3);

export const COMPACT_CODE = {
  kinds: { exchange: 1, badge: 2 },
  at: AT,
  idBytes: ID_BYTES,
  /** Bytes before the name: kind, ids, the number and the name's length. */
  headBytes: HEAD_BYTES,
  nameMaxBytes: NAME_MAX_BYTES,
  macBytes: MAC_BYTES,
  /** 62 to 94 characters: no name, up to the longest. */
  shape: new RegExp(
    `^[A-Za-z0-9_-]{${base64UrlLength(HEAD_BYTES + MAC_BYTES)},${base64UrlLength(HEAD_BYTES + NAME_MAX_BYTES + MAC_BYTES)}}$`,
  ),
} as const;

export interface CompactCodeParts {
  kind: 'exchange' | 'badge';
  userId: string;
  eventId: string;
  /** Expiry (Unix seconds) of an exchange code, version of a badge code. */
  value: number;
  name: string;
  /** What the MAC covers, and the MAC. */
  signed: Uint8Array;
  mac: Uint8Array;
}

const hexOf = (bytes: Uint8Array) =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

/** The name as a code carries it: at most 24 bytes of UTF-8, cut between characters. */
export function compactCodeName(name: string): Uint8Array {
  const encoder = new TextEncoder();
  let text = '';
  let size = 0;
  for (const char of name.trim()) {
    size += encoder.encode(char).length;
    if (size > COMPACT_CODE.nameMaxBytes) break;
    text += char;
  }
  return encoder.encode(text);
}

/**
 * Reads a compact code's parts without checking its MAC (the server does that). Null for
 * anything not shaped like one.
 */
export function readCompactCode(bytes: Uint8Array): CompactCodeParts | null {
  const { headBytes, macBytes, nameMaxBytes, kinds, at, idBytes } = COMPACT_CODE;
  if (bytes.length < headBytes + macBytes) return null;
  const kind = bytes[0] === kinds.exchange ? 'exchange' : bytes[0] === kinds.badge ? 'badge' : null;
  const nameLength = bytes[at.nameLength] ?? 0;
  if (!kind || nameLength > nameMaxBytes) return null;
  if (bytes.length !== headBytes + nameLength + macBytes) return null;
  const name = new TextDecoder('utf-8', { fatal: false }).decode(
    bytes.subarray(headBytes, headBytes + nameLength),
  );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    kind,
    userId: hexOf(bytes.subarray(at.userId, at.userId + idBytes)),
    eventId: hexOf(bytes.subarray(at.eventId, at.eventId + idBytes)),
    value: view.getUint32(at.value),
    name,
    signed: bytes.subarray(0, headBytes + nameLength),
    mac: bytes.subarray(headBytes + nameLength),
  };
}

/**
 * The name a scanned code carries, to show at once (offline too) as a label until the
 * server's answer brings the card. Unverified on purpose (only the server can check a
 * code), so printable characters only, without direction overrides. Undefined for
 * anything else.
 */
export function compactCodeLabel(token: string): string | undefined {
  if (!COMPACT_CODE.shape.test(token)) return undefined;
  let bytes: Uint8Array;
  try {
    const base64 = token.replace(/-/g, '+').replace(/_/g, '/');
    const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
    bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
  // What a card's name may not hold either (a direction override could make a forged
  // label read as another name).
  const name = [...(readCompactCode(bytes)?.name ?? '')]
    .filter((c) => !CONTROL_CHARACTERS.test(c))
    .join('')
    .trim();
  return name || undefined;
}

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
