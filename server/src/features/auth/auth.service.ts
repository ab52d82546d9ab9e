import type { z } from 'zod';
import type { LoginSchema, RegisterSchema } from '../../../../shared/auth';
import { ConflictError, UnauthorizedError } from '../../errors';
import { isDuplicateKeyError } from '../../http/mongo-errors';
import { createInitialCard } from '../cards/cards.service';
import type { Actor } from './actor';
import { UserModel, type UserDoc } from './auth.model';
import { hashPassword, verifyAgainstDummy, verifyPassword } from './passwords';
import {
  issueRefreshToken,
  pruneSessions,
  revokeRefreshToken,
  rotateRefreshToken,
  type IssuedRefreshToken,
} from './refresh-tokens';
import { signAccessToken, type SignedAccessToken, type TokenDeps } from './tokens';

export type RegisterData = z.output<typeof RegisterSchema>;
export type LoginData = z.output<typeof LoginSchema>;

export interface SessionGrant {
  user: UserDoc;
  access: SignedAccessToken;
  refresh: IssuedRefreshToken;
}

const badCredentials = () =>
  new UnauthorizedError('invalid_credentials', 'The email or password is not right.');

/** Creates the account and its first card, and signs the new user in. */
export async function register(
  deps: TokenDeps,
  input: RegisterData,
  meta: { userAgent?: string } = {},
): Promise<SessionGrant> {
  const passwordHash = await hashPassword(input.password);
  let user: UserDoc;
  try {
    user = await UserModel.create({
      email: input.email,
      passwordHash,
      name: input.name,
      locale: input.locale ?? 'en',
    });
  } catch (err) {
    // The unique index decides; a check-then-insert would race.
    if (isDuplicateKeyError(err)) {
      throw new ConflictError('email_taken', 'An account with this email already exists.');
    }
    throw err;
  }
  await createInitialCard(user.id as string, input.name);
  return startSession(deps, user, meta.userAgent);
}

/** Checks the password (with equal work for unknown emails) and signs in. */
export async function login(
  deps: TokenDeps,
  input: LoginData,
  meta: { userAgent?: string } = {},
): Promise<SessionGrant> {
  const user = await UserModel.findOne({ email: input.email }).exec();
  if (!user) {
    await verifyAgainstDummy(input.password);
    throw badCredentials();
  }
  if (!(await verifyPassword(input.password, user.passwordHash))) throw badCredentials();
  await pruneSessions(user.id as string);
  return startSession(deps, user, meta.userAgent);
}

async function startSession(
  deps: TokenDeps,
  user: UserDoc,
  userAgent: string | undefined,
): Promise<SessionGrant> {
  const refresh = await issueRefreshToken(deps, user.id as string, { userAgent });
  return { user, access: signAccessToken(deps, user.id as string), refresh };
}

/**
 * Rotates the refresh token and issues a new access token. `retryKey` (the request's
 * `Idempotency-Key`) lets the same request be retried when its answer was lost.
 */
export async function refresh(
  deps: TokenDeps,
  refreshToken: string,
  meta: { userAgent?: string; retryKey?: string } = {},
): Promise<SessionGrant> {
  const rotated = await rotateRefreshToken(deps, refreshToken, meta.userAgent, meta.retryKey);
  const user = await UserModel.findById(rotated.userId).exec();
  if (!user) throw new UnauthorizedError('refresh_invalid', 'Your session ended. Sign in again.');
  return { user, access: signAccessToken(deps, user.id as string), refresh: rotated.refresh };
}

export async function logout(deps: TokenDeps, refreshToken: string | undefined): Promise<void> {
  if (refreshToken) await revokeRefreshToken(deps, refreshToken);
}

/** The signed-in user; 401 when the account no longer exists. */
export async function requireUser(actor: Actor): Promise<UserDoc> {
  const user = await UserModel.findById(actor.userId).exec();
  if (!user) throw new UnauthorizedError();
  return user;
}
