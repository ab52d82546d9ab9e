import { Types } from 'mongoose';
import {
  PULSE_LIMITS,
  StatsSubscribeSchema,
  type StatsSubscribeAck,
} from '../../../../shared/stats';
import { AppError } from '../../errors';
import type { Logger } from '../../logger';
import type { RealtimeServer } from '../../realtime/io';
import { computeEventCounts } from './stats.service';
import { requireOrganizer } from './stats.policy';

/** Organizers of an event only; kept apart from any room attendees may be in. */
export function statsRoom(eventId: string): string {
  return `event:${eventId}:organizers`;
}

interface Throttle {
  timer: NodeJS.Timeout | undefined;
  lastAt: number;
}

interface LiveState {
  logger: Logger | undefined;
  events: Map<string, Throttle>;
}

const states = new WeakMap<RealtimeServer, LiveState>();

function stateOf(io: RealtimeServer): LiveState {
  let state = states.get(io);
  if (!state) states.set(io, (state = { logger: undefined, events: new Map() }));
  return state;
}

async function pushCounts(io: RealtimeServer, eventId: string): Promise<void> {
  const state = stateOf(io);
  const throttle = state.events.get(eventId);
  if (throttle) {
    throttle.timer = undefined;
    throttle.lastAt = Date.now();
  }
  try {
    const counts = await computeEventCounts(new Types.ObjectId(eventId));
    io.to(statsRoom(eventId)).emit('event:stats', {
      eventId,
      ...counts,
      at: new Date().toISOString(),
    });
  } catch (err) {
    // Live stats are a speed-up; the dashboard still refreshes over REST.
    state.logger?.warn({ err, eventId }, 'live event stats failed');
  }
}

/**
 * Something changed at the event (a handshake, a tag): push fresh counts to its organizers,
 * at most once per {@link PULSE_LIMITS.liveIntervalMs} per event. The first change is pushed
 * at once; changes inside the interval are folded into one push at its end.
 */
export function notifyEventStatsChanged(io: RealtimeServer, eventId: string): void {
  const { events } = stateOf(io);
  let throttle = events.get(eventId);
  if (!throttle) events.set(eventId, (throttle = { timer: undefined, lastAt: 0 }));
  if (throttle.timer) return;
  const wait = Math.max(0, throttle.lastAt + PULSE_LIMITS.liveIntervalMs - Date.now());
  throttle.timer = setTimeout(() => void pushCounts(io, eventId), wait);
  throttle.timer.unref();
}

function reply(ack: unknown, result: StatsSubscribeAck): void {
  if (typeof ack === 'function') (ack as (r: StatsSubscribeAck) => void)(result);
}

/**
 * `stats:subscribe {eventId}`: an organizer's socket joins the event's stats room (checked
 * like `GET /api/events/:eventId/stats`) and gets the current counts at once.
 */
export function registerStatsRealtime(io: RealtimeServer, logger: Logger): void {
  stateOf(io).logger = logger;
  io.on('connection', (socket) => {
    socket.on('stats:subscribe', async (payload: unknown, ack: unknown) => {
      const parsed = StatsSubscribeSchema.safeParse(payload);
      if (!parsed.success) return reply(ack, { ok: false, code: 'validation_failed' });
      const userId = socket.data.userId;
      if (typeof userId !== 'string') return reply(ack, { ok: false, code: 'unauthorized' });
      try {
        await requireOrganizer({ userId }, parsed.data.eventId);
      } catch (err) {
        if (err instanceof AppError) return reply(ack, { ok: false, code: err.code });
        logger.warn({ err }, 'stats subscription failed');
        return reply(ack, { ok: false, code: 'internal_error' });
      }
      await socket.join(statsRoom(parsed.data.eventId));
      reply(ack, { ok: true });
      notifyEventStatsChanged(io, parsed.data.eventId);
    });
    socket.on('stats:unsubscribe', async (payload: unknown) => {
      const parsed = StatsSubscribeSchema.safeParse(payload);
      if (parsed.success) await socket.leave(statsRoom(parsed.data.eventId));
    });
  });
}
