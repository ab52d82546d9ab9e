import { Router } from 'express';
import {
  EventCreateSchema,
  JoinEventSchema,
  type EventMembershipResponse,
  type EventResponse,
  type MyEventsResponse,
} from '../../../../shared/events';
import { parseInput } from '../../http/validate';
import { getActor, requireAuth } from '../auth/auth.middleware';
import type { FeatureDeps } from '../index';
import { presentEvent, presentMembership } from './events.presenter';
import { createEvent, getEvent, joinEvent, listMyEvents } from './events.service';

/** `POST /api/events`, `POST /api/events/join`, `GET /api/events/:eventId`, `GET /api/me/events`. */
export function eventRoutes(deps: FeatureDeps): Router {
  const router = Router();
  const auth = requireAuth(deps);

  router.post('/events', auth, async (req, res) => {
    const actor = getActor(res);
    const { event } = await createEvent(actor, parseInput(EventCreateSchema, req.body));
    const body: EventResponse = { event: presentEvent(event) };
    res.status(201).json(body);
  });

  router.post('/events/join', auth, async (req, res) => {
    const actor = getActor(res);
    const { event, membership } = await joinEvent(actor, parseInput(JoinEventSchema, req.body));
    const body: EventMembershipResponse = {
      event: presentEvent(event),
      membership: presentMembership(membership),
    };
    res.json(body);
  });

  router.get('/events/:eventId', auth, async (req, res) => {
    const { event, membership } = await getEvent(getActor(res), String(req.params.eventId));
    const body: EventMembershipResponse = {
      event: presentEvent(event),
      membership: presentMembership(membership),
    };
    res.json(body);
  });

  router.get('/me/events', auth, async (_req, res) => {
    const items = await listMyEvents(getActor(res));
    const body: MyEventsResponse = {
      items: items.map(({ event, membership }) => ({
        event: presentEvent(event),
        membership: presentMembership(membership),
      })),
    };
    res.json(body);
  });

  return router;
}
