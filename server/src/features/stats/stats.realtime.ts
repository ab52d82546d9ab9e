import { Types } from 'mongoose';
import {
  PULSE_LIMITS,
  StatsSubscribeSchema,
  type StatsSubscribeAck,
} from '../../../../shared/stats';
import { AppError } from '../../errors';
import type { Logger } from '../../logger';
import { mayHaveListeners, type RealtimeServer } from '../../realtime/io';
import { computeEventCounts } from './stats.service';
import { requireOrganizer } from './stats.policy';

/** Organizers of an event only; kept apart from any room attendees may be in. */
export function statsRoom(eventId: string): string {
  return `event:${eventId}:organizers`;
}

interface Throttle {
  /** A push is scheduled or being computed. */
  busy: boolean;
  /** Something changed while a push was being computed: push again after it. */
  dirty: boolean;
  /** When the last push went out (ms). */
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

function schedule(io: RealtimeServer, eventId: string, throttle: Throttle): void {
  throttle.busy = true;
  const wait = Math.max(0, throttle.lastAt + PULSE_LIMITS.liveIntervalMs - Date.now());
  setTimeout(() => void pushCounts(io, eventId, throttle), wait).unref();
}

async function pushCounts(io: RealtimeServer, eventId: string, throttle: Throttle): Promise<void> {
  throttle.dirty = false;
  try {
    const counts = await computeEventCounts(new Types.ObjectId(eventId));
    io.to(statsRoom(eventId)).emit('event:stats', {
      eventId,
      ...counts,
      at: new Date().toISOString(),
    });
  } catch (err) {
    // Live stats are a speed-up; the dashboard still refreshes over REST.
    stateOf(io).logger?.warn({ err, eventId }, 'live event stats failed');
  }
  // The interval counts from when a push went out, however long computing it took.
  throttle.lastAt = Date.now();
  throttle.busy = false;
  if (throttle.dirty) schedule(io, eventId, throttle);
}

/**
 * Something changed at the event (a handshake, a tag): push fresh counts to its organizers,
 * at most once per {@link PULSE_LIMITS.liveIntervalMs} per event. The first change is pushed
 * at once; changes inside the interval are folded into one push at its end.
 */
export function notifyEventStatsChanged(io: RealtimeServer, eventId: string): void {
  // Nobody watching this event's pulse: nothing to compute (a subscription pushes at once).
  if (!mayHaveListeners(io, statsRoom(eventId))) return;
  const { events } = stateOf(io);
  let throttle = events.get(eventId);
  if (!throttle) events.set(eventId, (throttle = { busy: false, dirty: false, lastAt: 0 }));
  if (throttle.busy) {
    throttle.dirty = true;
    return;
  }
  schedule(io, eventId, throttle);
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
