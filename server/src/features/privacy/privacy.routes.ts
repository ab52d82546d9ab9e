import { Router } from 'express';
import { DeleteAccountSchema, REFRESH_COOKIE } from '../../../../shared/auth';
import { parseInput } from '../../http/validate';
import { userRoom } from '../../realtime/rooms';
import { getActor, requireAuth } from '../auth/auth.middleware';
import { SlidingWindowLimiter } from '../auth/rate-limit';
import { attachment } from '../exports/filename';
import type { FeatureDeps } from '../index';
import { deleteMyAccount } from './privacy.delete';
import { exportMyData } from './privacy.export';

/** `GET /api/me/export` and `DELETE /api/me`. */
export function privacyRoutes(deps: FeatureDeps): Router {
  const router = Router();
  const auth = requireAuth(deps);
  // The password check is a guessing oracle for whoever holds a stolen access token.
  const deleteLimiter = new SlidingWindowLimiter({ limit: 5, windowMs: 15 * 60_000 });

  router.get('/me/export', auth, async (_req, res) => {
    const data = await exportMyData(getActor(res));
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader(
      'Content-Disposition',
      attachment(`coopetition-my-data-${data.exportedAt.slice(0, 10)}.json`, 'my-data'),
    );
    res.json(data);
  });

  router.delete('/me', auth, async (req, res) => {
    const actor = getActor(res);
    const { password } = parseInput(DeleteAccountSchema, req.body);
    deleteLimiter.consume(actor.userId);
    await deleteMyAccount(actor, password);
    // Live connections of the deleted account end now, not when their token expires.
    deps.io.in(userRoom(actor.userId)).disconnectSockets(true);
    res.clearCookie(REFRESH_COOKIE, {
      httpOnly: true,
      sameSite: 'strict',
      secure: deps.config.env === 'production',
      path: '/api/auth',
    });
    res.status(204).end();
  });

  return router;
}
