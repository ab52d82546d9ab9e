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

/** Issues a new opaque refresh token, starting a family unless one is given. */
export async function issueRefreshToken(
  deps: TokenDeps,
  userId: string,
  options: { familyId?: string; userAgent?: string } = {},
): Promise<IssuedRefreshToken> {
  const token = randomBytes(32).toString('base64url');
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

const invalid = () =>
  new UnauthorizedError('refresh_invalid', 'Your session ended. Sign in again.');

/**
 * Spends a refresh token and issues its successor in the same family. The spend is one
 * conditional update, so two concurrent uses cannot both succeed. A token that was
 * already rotated is a copy: its whole family is revoked (401 `refresh_reused`).
 */
export async function rotateRefreshToken(
  deps: TokenDeps,
  token: string,
  userAgent?: string,
): Promise<{ userId: string; refresh: IssuedRefreshToken }> {
  const tokenHash = hashRefreshToken(deps, token);
  const now = new Date();
  const spent = await SessionModel.findOneAndUpdate(
    { tokenHash, rotatedAt: null, revokedAt: null, expiresAt: { $gt: now } },
    { $set: { rotatedAt: now } },
  ).exec();
  if (!spent) {
    const known = await SessionModel.findOne({ tokenHash }).exec();
    if (known?.rotatedAt) {
      await revokeFamily(known.familyId);
      throw new UnauthorizedError(
        'refresh_reused',
        'This session was used somewhere else, so it was ended. Sign in again.',
      );
    }
    throw invalid();
  }
  const userId = String(spent.userId);
  const refresh = await issueRefreshToken(deps, userId, { familyId: spent.familyId, userAgent });
  return { userId, refresh };
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
