import { Router } from 'express';
import { CardUpdateSchema, type CardResponse } from '../../../../shared/card';
import { NotFoundError } from '../../errors';
import { parseInput } from '../../http/validate';
import { getActor, requireAuth } from '../auth/auth.middleware';
import type { FeatureDeps } from '../index';
import { presentCard } from './cards.presenter';
import { getCard, updateMyCard } from './cards.service';

/** `GET|PUT /api/me/card`. */
export function cardRoutes(deps: FeatureDeps): Router {
  const router = Router();
  const auth = requireAuth(deps);

  router.get('/me/card', auth, async (_req, res) => {
    const card = await getCard(getActor(res).userId);
    if (!card) throw new NotFoundError('card_not_found', 'You have no card yet.');
    const body: CardResponse = { card: presentCard(card) };
    res.json(body);
  });

  router.put('/me/card', auth, async (req, res) => {
    const actor = getActor(res);
    const input = parseInput(CardUpdateSchema, req.body);
    const body: CardResponse = { card: presentCard(await updateMyCard(actor, input)) };
    res.json(body);
  });

  return router;
}
