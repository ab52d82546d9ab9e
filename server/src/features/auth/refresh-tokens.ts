import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { UnauthorizedError } from '../../errors';
import { SessionModel } from './auth.model';
import { deriveKey } from './keys';
import type { TokenDeps } from './tokens';

/** A refresh family lives at most this long without being used. */
export const REFRESH_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/** Keyed hash: a leaked sessions collection alone cannot be turned into cookies. */
function hashRefreshToken(deps: TokenDeps, token: string): string {
  return createHmac('sha256', deriveKey(deps.jwtSecret, 'refresh')).update(token).digest('hex');
}

export interface IssuedRefreshToken {
  token: string;
  expiresAt: Date;
}

/**
 * How long a refresh request may be retried with its `Idempotency-Key` after the server
 * answered it: long enough for a phone that lost the answer on a venue's wifi to come
 * back, short enough that a stolen copy of both the cookie and the key is soon worthless.
 */
export const REFRESH_RETRY_MS = 10 * 60 * 1000;

/** Stores a new refresh token's row, starting a family unless one is given. */
async function storeRefreshToken(
  deps: TokenDeps,
  token: string,
  userId: string,
  options: { familyId?: string; userAgent?: string },
): Promise<IssuedRefreshToken> {
  const expiresAt = new Date(Date.now() + REFRESH_TTL_MS);
  await SessionModel.create({
    userId,
    familyId: options.familyId ?? randomUUID(),
    tokenHash: hashRefreshToken(deps, token),
    expiresAt,
    userAgent: (options.userAgent ?? '').slice(0, 200),
  });
  return { token, expiresAt };
}

const newToken = () => randomBytes(32).toString('base64url');

/** Issues a new opaque refresh token, starting a family unless one is given. */
export function issueRefreshToken(
  deps: TokenDeps,
  userId: string,
  options: { familyId?: string; userAgent?: string } = {},
): Promise<IssuedRefreshToken> {
  return storeRefreshToken(deps, newToken(), userId, options);
}

const invalid = () =>
  new UnauthorizedError('refresh_invalid', 'Your session ended. Sign in again.');

const reused = () =>
  new UnauthorizedError(
    'refresh_reused',
    'This session was used somewhere else, so it was ended. Sign in again.',
  );

/**
 * Spends a refresh token and issues its successor in the same family. The spend is one
 * conditional update, so two concurrent uses cannot both succeed. A token that was
 * already rotated is a copy: its whole family is revoked (401 `refresh_reused`).
 *
 * One exception, for answers lost on bad wifi: the request that rotated the token may be
 * retried with the same `retryKey` (the client's `Idempotency-Key`, which a copied cookie
 * does not carry) for {@link REFRESH_RETRY_MS}, as long as the successor it was given has
 * never been used. That successor, which never arrived, is revoked and a new one issued.
 */
export async function rotateRefreshToken(
  deps: TokenDeps,
  token: string,
  userAgent?: string,
  retryKey?: string,
): Promise<{ userId: string; refresh: IssuedRefreshToken }> {
  const tokenHash = hashRefreshToken(deps, token);
  const retryKeyHash = retryKey === undefined ? null : hashRefreshToken(deps, `retry:${retryKey}`);
  const now = new Date();
  const successor = newToken();
  const successorHash = hashRefreshToken(deps, successor);
  const spent = await SessionModel.findOneAndUpdate(
    { tokenHash, rotatedAt: null, revokedAt: null, expiresAt: { $gt: now } },
    {
      $set: {
        rotatedAt: now,
        successorHash,
        retryKeyHash,
        retryUntil: retryKeyHash ? new Date(now.getTime() + REFRESH_RETRY_MS) : null,
      },
    },
  ).exec();
  const next = (row: { userId: unknown; familyId: string }) =>
    storeRefreshToken(deps, successor, String(row.userId), { familyId: row.familyId, userAgent });
  if (spent) return { userId: String(spent.userId), refresh: await next(spent) };

  const known = await SessionModel.findOne({ tokenHash }).exec();
  if (!known?.rotatedAt) throw invalid();
  const retried =
    retryKeyHash !== null &&
    known.retryKeyHash === retryKeyHash &&
    known.revokedAt == null &&
    known.retryUntil != null &&
    known.retryUntil > now &&
    known.successorHash != null;
  if (retried) {
    // The successor handed out first must be unused (else this is a copy after all), and
    // only one retry may replace it.
    const dropped = await SessionModel.updateOne(
      { tokenHash: known.successorHash, rotatedAt: null, revokedAt: null },
      { $set: { revokedAt: now } },
    ).exec();
    if (dropped.modifiedCount === 1) {
      const moved = await SessionModel.updateOne(
        { _id: known._id, successorHash: known.successorHash },
        { $set: { successorHash } },
      ).exec();
      if (moved.modifiedCount === 1) {
        return { userId: String(known.userId), refresh: await next(known) };
      }
    }
  }
  await revokeFamily(known.familyId);
  throw reused();
}

export async function revokeFamily(familyId: string): Promise<void> {
  await SessionModel.updateMany(
    { familyId, revokedAt: null },
    { $set: { revokedAt: new Date() } },
  ).exec();
}

/** Ends the session a refresh token belongs to (logout); unknown tokens are ignored. */
export async function revokeRefreshToken(deps: TokenDeps, token: string): Promise<void> {
  const known = await SessionModel.findOne({ tokenHash: hashRefreshToken(deps, token) }).exec();
  if (known) await revokeFamily(known.familyId);
}

/** Drops a user's sessions that can no longer be used (housekeeping on sign-in). */
export async function pruneSessions(userId: string): Promise<void> {
  const now = new Date();
  await SessionModel.deleteMany({
    userId,
    $or: [{ expiresAt: { $lte: now } }, { revokedAt: { $ne: null } }],
  }).exec();
}
