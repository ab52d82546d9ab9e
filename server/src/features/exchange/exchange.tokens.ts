import { createHmac, timingSafeEqual, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import {
  COMPACT_CODE,
  compactCodeName,
  EXCHANGE_LIMITS,
  readCompactCode,
} from '../../../../shared/exchange';
import { AppError, NotFoundError } from '../../errors';
import { deriveKey } from '../auth/keys';

/**
 * Signed exchange codes (on-screen QR, ≤ 2 min) and badge codes (printed badge / NFC
 * sticker, until rotated). Each kind has its own HKDF key, so no kind verifies as another,
 * and an access token (a JWT under yet another key) verifies as neither.
 *
 * Codes are issued in a compact binary form (`COMPACT_CODE` in shared/exchange.ts: kind,
 * user, event, expiry or badge version, the card's name cut to 24 bytes, and a 16-byte
 * HMAC-SHA256 under the kind's own key), 62 to 94 base64url characters: the QR that
 * carries one must stay low density to scan from a distance in a dim hall, and a badge URL
 * must fit the cheapest NFC stickers (NTAG213: 137 bytes). A JWT of the same claims
 * without the name was about 200 characters (QR version 11 instead of 6 or 7).
 *
 * Codes issued as JWTs before the compact form (`typ` `xc` or `bd`, HS256 only) are still
 * verified, so printed badges and scans queued offline keep working.
 */

/** The claims of codes issued as JWTs, checked when one is scanned. */
const EXCHANGE_TOKEN_AUDIENCE = 'xc';
const EXCHANGE_TOKEN_TYP = 'xc';
const BADGE_TOKEN_AUDIENCE = 'bd';
const BADGE_TOKEN_TYP = 'bd';

const OBJECT_ID = /^[0-9a-f]{24}$/;
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export interface TokenSecret {
  jwtSecret: string;
}

export interface ExchangeClaims {
  kind: 'exchange';
  userId: string;
  eventId: string;
  expiresAt: Date;
}

export interface BadgeClaims {
  kind: 'badge';
  userId: string;
  eventId: string;
  version: number;
}

export type CodeClaims = ExchangeClaims | BadgeClaims;

export function codeInvalid(): AppError {
  return new NotFoundError('code_invalid', 'This code is not valid.');
}

export function codeExpired(): AppError {
  return new AppError(410, 'code_expired', 'This code has expired. Ask for a fresh one.');
}

type CodePurpose = 'exchange' | 'badge';

function compactMac(key: KeyObject, signed: Uint8Array): Buffer {
  return createHmac('sha256', key).update(signed).digest().subarray(0, COMPACT_CODE.macBytes);
}

function signCompact(
  deps: TokenSecret,
  purpose: CodePurpose,
  claims: { userId: string; eventId: string; value: number; name: string },
): string {
  if (!OBJECT_ID.test(claims.userId) || !OBJECT_ID.test(claims.eventId)) {
    throw new Error('codes are signed for an object id user and event');
  }
  const { at, headBytes, kinds } = COMPACT_CODE;
  const name = compactCodeName(claims.name);
  const head = Buffer.alloc(headBytes);
  head[0] = kinds[purpose];
  head.write(claims.userId, at.userId, 'hex');
  head.write(claims.eventId, at.eventId, 'hex');
  head.writeUInt32BE(claims.value, at.value);
  head[at.nameLength] = name.length;
  const signed = Buffer.concat([head, name]);
  const mac = compactMac(deriveKey(deps.jwtSecret, purpose), signed);
  return Buffer.concat([signed, mac]).toString('base64url');
}

/**
 * The on-screen code: `userId` at `eventId`, valid until `expiresAt` (whole seconds),
 * carrying the name on their card for the scanner to show at once.
 */
export function signExchangeToken(
  deps: TokenSecret,
  userId: string,
  eventId: string,
  expiresAt: Date,
  name = '',
): string {
  const value = Math.floor(expiresAt.getTime() / 1000);
  return signCompact(deps, 'exchange', { userId, eventId, value, name });
}

/** The badge code: `userId` at `eventId`, valid while the user's badge is at `version`. */
export function signBadgeToken(
  deps: TokenSecret,
  userId: string,
  eventId: string,
  version: number,
  name = '',
): string {
  return signCompact(deps, 'badge', { userId, eventId, value: version, name });
}

function verifyCompact(deps: TokenSecret, token: string, clockMs: number): CodeClaims {
  const bytes = Buffer.from(token, 'base64url');
  // One spelling per code: base64url decoding ignores the spare bits of the last character.
  const parts = bytes.toString('base64url') === token ? readCompactCode(bytes) : null;
  if (!parts) throw codeInvalid();
  const expected = compactMac(deriveKey(deps.jwtSecret, parts.kind), parts.signed);
  if (!timingSafeEqual(parts.mac, expected)) throw codeInvalid();
  const { userId, eventId, value } = parts;
  if (parts.kind === 'badge') return { kind: 'badge', userId, eventId, version: value };
  // As for a JWT's `exp`: expired from that second on.
  if (Math.floor(clockMs / 1000) >= value) throw codeExpired();
  return { kind: 'exchange', userId, eventId, expiresAt: new Date(value * 1000) };
}

function verifyWith(
  token: string,
  key: ReturnType<typeof deriveKey>,
  audience: string,
  clockMs: number,
): jwt.JwtPayload {
  let payload: string | jwt.JwtPayload;
  try {
    payload = jwt.verify(token, key, {
      algorithms: ['HS256'],
      audience,
      clockTimestamp: Math.floor(clockMs / 1000),
    });
  } catch (err) {
    if (err instanceof jwt.TokenExpiredError) throw codeExpired();
    throw codeInvalid();
  }
  if (typeof payload !== 'object') throw codeInvalid();
  return payload;
}

function idClaim(value: unknown): string {
  if (typeof value !== 'string' || !OBJECT_ID.test(value)) throw codeInvalid();
  return value;
}

/**
 * Verifies a signed code, compact or (issued before it) JWT, as of `clockMs` (the scan
 * time for an offline scan). A compact code's kind byte picks its key; the MAC covers
 * it. For a JWT, the unverified `typ` only picks which verifier runs; that verifier then
 * checks its own key, algorithm, audience and `typ`, so a relabelled token still fails.
 * Throws 404 `code_invalid` or 410 `code_expired`.
 */
export function verifyCodeToken(deps: TokenSecret, token: string, clockMs: number): CodeClaims {
  if (COMPACT_CODE.shape.test(token)) return verifyCompact(deps, token, clockMs);
  if (token.length > EXCHANGE_LIMITS.maxCodeLength || !JWT_SHAPE.test(token)) throw codeInvalid();
  let unverified: jwt.JwtPayload | null;
  try {
    unverified = jwt.decode(token, { json: true });
  } catch {
    throw codeInvalid();
  }
  if (!unverified) throw codeInvalid();
  if (unverified.typ === EXCHANGE_TOKEN_TYP) {
    const key = deriveKey(deps.jwtSecret, 'exchange');
    const payload = verifyWith(token, key, EXCHANGE_TOKEN_AUDIENCE, clockMs);
    // Exchange codes must expire: a token without `exp` was not made by us.
    if (payload.typ !== EXCHANGE_TOKEN_TYP || typeof payload.exp !== 'number') {
      throw codeInvalid();
    }
    return {
      kind: 'exchange',
      userId: idClaim(payload.sub),
      eventId: idClaim(payload.evt),
      expiresAt: new Date(payload.exp * 1000),
    };
  }
  if (unverified.typ === BADGE_TOKEN_TYP) {
    const key = deriveKey(deps.jwtSecret, 'badge');
    const payload = verifyWith(token, key, BADGE_TOKEN_AUDIENCE, clockMs);
    const version: unknown = payload.v;
    if (
      payload.typ !== BADGE_TOKEN_TYP ||
      typeof version !== 'number' ||
      !Number.isInteger(version)
    ) {
      throw codeInvalid();
    }
    return {
      kind: 'badge',
      userId: idClaim(payload.sub),
      eventId: idClaim(payload.evt),
      version,
    };
  }
  throw codeInvalid();
}
