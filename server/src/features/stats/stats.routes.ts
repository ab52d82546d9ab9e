import { Router } from 'express';
import { EventStatsExportQuerySchema, type EventStatsResponse } from '../../../../shared/stats';
import { parseInput } from '../../http/validate';
import { getActor, requireAuth } from '../auth/auth.middleware';
import type { FeatureDeps } from '../index';
import { routeParam } from '../teams/teams.policy';
import { eventStatsCsv } from './stats.export';
import { registerStatsRealtime } from './stats.realtime';
import { getEventStats } from './stats.service';

/** `/api/events/:eventId/stats`: the organizer pulse (REST), and its live push. */
export function statsRoutes(deps: FeatureDeps): Router {
  registerStatsRealtime(deps.io, deps.logger);
  const router = Router();
  const auth = requireAuth(deps);

  router.get('/events/:eventId/stats', auth, async (req, res) => {
    const body: EventStatsResponse = {
      stats: await getEventStats(getActor(res), routeParam(req.params, 'eventId')),
    };
    res.setHeader('Cache-Control', 'no-store');
    res.json(body);
  });

  router.get('/events/:eventId/stats/export', auth, async (req, res) => {
    parseInput(EventStatsExportQuerySchema, req.query);
    const stats = await getEventStats(getActor(res), routeParam(req.params, 'eventId'));
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="event-stats-${stats.eventId}.csv"`);
    res.setHeader('Cache-Control', 'no-store');
    res.send(eventStatsCsv(stats));
  });

  return router;
}
