import jwt from 'jsonwebtoken';
import { EXCHANGE_LIMITS } from '../../../../shared/exchange';
import { AppError, NotFoundError } from '../../errors';
import { deriveKey } from '../auth/keys';

/**
 * Signed exchange codes (on-screen QR, ≤ 2 min) and badge codes (printed badge / NFC
 * sticker, until rotated). Each kind has its own HKDF key, audience and `typ`, so no kind
 * verifies as another, and an access token verifies as neither.
 *
 * The on-screen token is kept as short as possible (no `iat`, no `iss`, two-letter
 * values) because the QR that carries it must stay low density to scan from a distance.
 */

export const EXCHANGE_TOKEN_AUDIENCE = 'xc';
export const EXCHANGE_TOKEN_TYP = 'xc';
export const BADGE_TOKEN_AUDIENCE = 'bd';
export const BADGE_TOKEN_TYP = 'bd';

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

export function signExchangeToken(
  deps: TokenSecret,
  userId: string,
  eventId: string,
  expiresAt: Date,
): string {
  return jwt.sign(
    {
      sub: userId,
      evt: eventId,
      typ: EXCHANGE_TOKEN_TYP,
      aud: EXCHANGE_TOKEN_AUDIENCE,
      exp: Math.floor(expiresAt.getTime() / 1000),
    },
    deriveKey(deps.jwtSecret, 'exchange'),
    // No `typ: "JWT"` header either: nine characters less in every QR.
    { algorithm: 'HS256', noTimestamp: true, header: { alg: 'HS256', typ: undefined } },
  );
}

export function signBadgeToken(
  deps: TokenSecret,
  userId: string,
  eventId: string,
  version: number,
): string {
  return jwt.sign(
    { sub: userId, evt: eventId, v: version, typ: BADGE_TOKEN_TYP, aud: BADGE_TOKEN_AUDIENCE },
    deriveKey(deps.jwtSecret, 'badge'),
    { algorithm: 'HS256', noTimestamp: true },
  );
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
 * Verifies a signed code as of `clockMs` (the scan time for an offline scan). The
 * unverified `typ` only picks which verifier runs; that verifier then checks its own key,
 * algorithm, audience and `typ`, so a relabelled token still fails.
 * Throws 404 `code_invalid` or 410 `code_expired`.
 */
export function verifyCodeToken(deps: TokenSecret, token: string, clockMs: number): CodeClaims {
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
