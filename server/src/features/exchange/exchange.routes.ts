import { Router, type Request, type RequestHandler } from 'express';
import {
  HandshakeCreateSchema,
  type BadgeCodeResponse,
  type ExchangeCodeResponse,
  type HandshakeResponse,
  type PublicCardResponse,
} from '../../../../shared/exchange';
import { AppError } from '../../errors';
import { idempotencyKey, parseInput } from '../../http/validate';
import { getActor, requireAuth } from '../auth/auth.middleware';
import { SlidingWindowLimiter } from '../auth/rate-limit';
import type { FeatureDeps } from '../index';
import { FailureLimiter } from './failure-limiter';
import { getBadgeCode, issueExchangeCode, rotateBadgeCode } from './exchange.codes';
import { createHandshake } from './handshakes.service';
import { resolvePublicCard } from './public-card';

function pathParam(req: Request, name: string): string {
  const value: unknown = req.params[name];
  return typeof value === 'string' ? value : '';
}

function isCodeFailure(err: unknown): boolean {
  return err instanceof AppError && (err.code === 'code_invalid' || err.code === 'code_expired');
}

/** Exchange codes, badge codes, handshakes and the public card page's API. */
export function exchangeRoutes(deps: FeatureDeps): Router {
  const router = Router();
  const auth = requireAuth(deps);
  // Anyone may open a public card; bound how fast one address can try tokens.
  const publicLimiter = new SlidingWindowLimiter({ limit: 60, windowMs: 60_000 });
  // Failed code lookups per scanner: short codes are guessable only this slowly.
  const failedScans = new FailureLimiter(30, 10 * 60_000);

  /** A code for the signed-in member at `:eventId`; codes are never cached. */
  const codeRoute =
    (
      issue: (
        deps: FeatureDeps,
        actor: ReturnType<typeof getActor>,
        eventId: string,
      ) => Promise<ExchangeCodeResponse | BadgeCodeResponse>,
    ): RequestHandler =>
    async (req, res) => {
      const body = await issue(deps, getActor(res), pathParam(req, 'eventId'));
      res.setHeader('Cache-Control', 'no-store');
      res.json(body);
    };
  router.get('/events/:eventId/exchange-code', auth, codeRoute(issueExchangeCode));
  router.get('/events/:eventId/badge-code', auth, codeRoute(getBadgeCode));
  router.post('/events/:eventId/badge-code/rotate', auth, codeRoute(rotateBadgeCode));

  router.post('/events/:eventId/handshakes', auth, async (req, res) => {
    const actor = getActor(res);
    const input = parseInput(HandshakeCreateSchema, req.body);
    const headerRef = idempotencyKey(req);
    const clientRef = input.clientRef ?? headerRef;
    failedScans.assertAllowed(actor.userId);
    let result;
    try {
      result = await createHandshake(deps, actor, pathParam(req, 'eventId'), {
        ...input,
        ...(clientRef ? { clientRef } : {}),
      });
    } catch (err) {
      if (isCodeFailure(err)) failedScans.recordFailure(actor.userId);
      throw err;
    }
    const body: HandshakeResponse = { handshake: result.handshake, contact: result.contact };
    res.status(result.created ? 201 : 200).json(body);
  });

  router.get('/x/:token', async (req, res) => {
    publicLimiter.consume(req.ip ?? 'unknown');
    const { card, event, expiresAt } = await resolvePublicCard(deps, pathParam(req, 'token'));
    const body: PublicCardResponse = { card, event, expiresAt };
    res.setHeader('Cache-Control', 'no-store');
    res.json(body);
  });

  return router;
}
