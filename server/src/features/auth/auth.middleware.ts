import type { RequestHandler, Response } from 'express';
import { UnauthorizedError } from '../../errors';
import type { Actor } from './actor';
import { verifyAccessToken, type TokenDeps } from './tokens';

export { verifyAccessToken } from './tokens';

const BEARER = /^Bearer ([A-Za-z0-9_\-.]+)$/;

/**
 * Requires `Authorization: Bearer <access token>` and stores the actor on
 * `res.locals`. 401 `unauthorized` without a token, `token_expired` / `invalid_token`
 * when it does not verify.
 */
export function requireAuth(deps: TokenDeps): RequestHandler {
  return (req, res, next) => {
    const header = req.headers.authorization;
    if (!header) {
      next(new UnauthorizedError());
      return;
    }
    const match = BEARER.exec(header);
    if (!match?.[1]) {
      next(new UnauthorizedError('invalid_token', 'Your session is not valid. Sign in again.'));
      return;
    }
    try {
      res.locals.actor = verifyAccessToken(deps, match[1]);
      next();
    } catch (err) {
      next(err);
    }
  };
}

/** The actor `requireAuth` verified; throws if the route forgot to require auth. */
export function getActor(res: Response): Actor {
  const actor: unknown = res.locals.actor;
  if (
    typeof actor !== 'object' ||
    actor === null ||
    typeof (actor as { userId?: unknown }).userId !== 'string'
  ) {
    throw new UnauthorizedError();
  }
  return actor as Actor;
}
