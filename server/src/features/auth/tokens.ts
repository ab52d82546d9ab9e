import type { KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { BoundedMap } from '../../bounded-map';
import { UnauthorizedError } from '../../errors';
import type { Actor } from './actor';
import { deriveKey } from './keys';

export const TOKEN_ISSUER = 'coopetition';
export const ACCESS_AUDIENCE = 'coopetition:access';
export const ACCESS_TYP = 'access';
/** Short enough that a stolen token is worth little; the refresh cookie renews it. */
export const ACCESS_TTL_SECONDS = 15 * 60;

export interface TokenDeps {
  jwtSecret: string;
}

export interface SignedAccessToken {
  token: string;
  expiresAt: Date;
}

export function signAccessToken(deps: TokenDeps, userId: string): SignedAccessToken {
  const nowSeconds = Math.floor(Date.now() / 1000);
  const exp = nowSeconds + ACCESS_TTL_SECONDS;
  const token = jwt.sign(
    { typ: ACCESS_TYP, iat: nowSeconds, exp },
    deriveKey(deps.jwtSecret, 'access'),
    { algorithm: 'HS256', issuer: TOKEN_ISSUER, audience: ACCESS_AUDIENCE, subject: userId },
  );
  return { token, expiresAt: new Date(exp * 1000) };
}

export interface VerifiedAccess extends Actor {
  /** Expiry in ms since the epoch (sockets disconnect at this moment). */
  expiresAtMs: number;
}

/**
 * Access tokens that verified, by their exact text, per signing key: every request and
 * socket of a phone carries the same token for 15 minutes, and checking its signature and
 * claims again each time was a few percent of a busy server. Only a token that passed every
 * check is kept; a hit is still refused from its expiry on (by the full check), and the
 * oldest entries leave first when the cache is full.
 */
const verifiedAccess = new WeakMap<object, BoundedMap<string, VerifiedAccess>>();
const VERIFIED_ACCESS_LIMIT = 10_000;

/**
 * Verifies an access token: HS256 only (never `none` or another algorithm), our issuer,
 * the access audience and `typ`, a subject. Throws 401 `token_expired` or `invalid_token`.
 */
export function verifyAccessTokenDetailed(deps: TokenDeps, token: string): VerifiedAccess {
  const key = deriveKey(deps.jwtSecret, 'access');
  let verified = verifiedAccess.get(key);
  if (!verified) {
    verified = new BoundedMap(VERIFIED_ACCESS_LIMIT);
    verifiedAccess.set(key, verified);
  }
  const known = verified.get(token);
  // jsonwebtoken's rule: expired once the current second reaches `exp`.
  if (known && Math.floor(Date.now() / 1000) * 1000 < known.expiresAtMs) return { ...known };
  if (known) verified.delete(token);
  const checked = checkAccessToken(key, token);
  verified.set(token, checked);
  return { ...checked };
}

function checkAccessToken(key: KeyObject, token: string): VerifiedAccess {
  let payload: string | jwt.JwtPayload;
  try {
    payload = jwt.verify(token, key, {
      algorithms: ['HS256'],
      issuer: TOKEN_ISSUER,
      audience: ACCESS_AUDIENCE,
    });
  } catch (err) {
    if (err instanceof jwt.TokenExpiredError) {
      throw new UnauthorizedError('token_expired', 'Your session expired. Sign in again.');
    }
    throw new UnauthorizedError('invalid_token', 'Your session is not valid. Sign in again.');
  }
  if (
    typeof payload !== 'object' ||
    payload.typ !== ACCESS_TYP ||
    typeof payload.sub !== 'string' ||
    !/^[0-9a-f]{24}$/.test(payload.sub) ||
    typeof payload.exp !== 'number'
  ) {
    throw new UnauthorizedError('invalid_token', 'Your session is not valid. Sign in again.');
  }
  return { userId: payload.sub, expiresAtMs: payload.exp * 1000 };
}

/** Verifies an access token and returns who it belongs to (used by HTTP and sockets). */
export function verifyAccessToken(deps: TokenDeps, token: string): Actor {
  const { userId } = verifyAccessTokenDetailed(deps, token);
  return { userId };
}
