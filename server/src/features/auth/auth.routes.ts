import { Router, type Request, type Response } from 'express';
import {
  LoginSchema,
  REFRESH_COOKIE,
  RegisterSchema,
  type AuthResponse,
  type MeResponse,
} from '../../../../shared/auth';
import { UnauthorizedError } from '../../errors';
import { idempotencyKey, parseInput } from '../../http/validate';
import { presentCard } from '../cards/cards.presenter';
import { getCard } from '../cards/cards.service';
import type { FeatureDeps } from '../index';
import { getActor, requireAuth } from './auth.middleware';
import { presentUser } from './auth.presenter';
import { login, logout, refresh, register, requireUser, type SessionGrant } from './auth.service';
import { SlidingWindowLimiter } from './rate-limit';

const COOKIE_PATH = '/api/auth';

/** `/api/auth/*` and `GET /api/me`. */
export function authRoutes(deps: FeatureDeps): Router {
  const router = Router();
  const secure = deps.config.env === 'production';
  // Per IP + email, so one guesser cannot lock a victim out from elsewhere.
  const loginLimiter = new SlidingWindowLimiter({ limit: 10, windowMs: 15 * 60_000 });
  const registerLimiter = new SlidingWindowLimiter({ limit: 5, windowMs: 60 * 60_000 });

  const setRefreshCookie = (res: Response, grant: SessionGrant) => {
    res.cookie(REFRESH_COOKIE, grant.refresh.token, {
      httpOnly: true,
      sameSite: 'strict',
      secure,
      path: COOKIE_PATH,
      expires: grant.refresh.expiresAt,
    });
  };
  const clearRefreshCookie = (res: Response) => {
    res.clearCookie(REFRESH_COOKIE, {
      httpOnly: true,
      sameSite: 'strict',
      secure,
      path: COOKIE_PATH,
    });
  };
  const respond = (res: Response, status: number, grant: SessionGrant) => {
    setRefreshCookie(res, grant);
    res.setHeader('Cache-Control', 'no-store');
    const body: AuthResponse = {
      user: presentUser(grant.user),
      accessToken: grant.access.token,
      accessTokenExpiresAt: grant.access.expiresAt.toISOString(),
    };
    res.status(status).json(body);
  };
  const meta = (req: Request) => ({ userAgent: req.get('user-agent') });
  const readCookie = (req: Request): string | undefined => {
    const cookies = req.cookies as Record<string, unknown> | undefined;
    const value = cookies?.[REFRESH_COOKIE];
    return typeof value === 'string' && value.length > 0 && value.length <= 200 ? value : undefined;
  };

  router.post('/auth/register', async (req, res) => {
    const input = parseInput(RegisterSchema, req.body);
    registerLimiter.consume(`${req.ip}|${input.email}`);
    respond(res, 201, await register(deps, input, meta(req)));
  });

  router.post('/auth/login', async (req, res) => {
    const input = parseInput(LoginSchema, req.body);
    const key = `${req.ip}|${input.email}`;
    loginLimiter.consume(key);
    const grant = await login(deps, input, meta(req));
    loginLimiter.reset(key);
    respond(res, 200, grant);
  });

  router.post('/auth/refresh', async (req, res) => {
    // Checked first: a malformed key is a 400 that leaves the session as it was.
    const retryKey = idempotencyKey(req);
    const token = readCookie(req);
    if (!token) throw new UnauthorizedError('refresh_missing', 'Sign in to continue.');
    try {
      respond(res, 200, await refresh(deps, token, { ...meta(req), retryKey }));
    } catch (err) {
      clearRefreshCookie(res);
      throw err;
    }
  });

  router.post('/auth/logout', async (req, res) => {
    await logout(deps, readCookie(req));
    clearRefreshCookie(res);
    res.status(204).end();
  });

  router.get('/me', requireAuth(deps), async (_req, res) => {
    const actor = getActor(res);
    const user = await requireUser(actor);
    const card = await getCard(actor.userId);
    const body: MeResponse = { user: presentUser(user), card: card ? presentCard(card) : null };
    res.json(body);
  });

  return router;
}
