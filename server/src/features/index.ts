import { Router } from 'express';
import type { AppDeps } from '../app';
import type { RealtimeServer } from '../realtime/io';
import { authRoutes } from './auth/auth.routes';
import { cardRoutes } from './cards/cards.routes';
import { contactsRoutes } from './contacts/contacts.routes';
import { eventRoutes } from './events/events.routes';
import { exchangeRoutes } from './exchange/exchange.routes';
import { exportRoutes } from './exports/exports.routes';
import { healthRoutes } from './health/health.routes';
import { leadsRoutes } from './leads/leads.routes';
import { privacyRoutes } from './privacy/privacy.routes';
import { statsRoutes } from './stats/stats.routes';
import { teamsRoutes } from './teams/teams.routes';

export type FeatureDeps = AppDeps & { io: RealtimeServer };

/** Every `/api` route, one router per feature. */
export function apiRouter(deps: FeatureDeps): Router {
  const router = Router();
  router.use(healthRoutes(deps.dbKind));
  // The scan path early: it is the busiest route at an event, and every router ahead of
  // it costs each request a pass over that router's routes. No two routers share a path.
  router.use(exchangeRoutes(deps));
  router.use(authRoutes(deps));
  router.use(cardRoutes(deps));
  router.use(eventRoutes(deps));
  router.use(exportRoutes(deps));
  router.use(privacyRoutes(deps));
  // After any `/contacts/<word>` route (e.g. exports): `:contactId` would match the word.
  router.use(contactsRoutes(deps));
  router.use(teamsRoutes(deps));
  router.use(leadsRoutes(deps));
  router.use(statsRoutes(deps));
  return router;
}
