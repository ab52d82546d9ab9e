import { z } from 'zod';
import { ObjectIdSchema } from './events';

/**
 * The organizer's pulse of an event: aggregates only. No individual's private tag or
 * note ever appears; company pairs met fewer than {@link PULSE_LIMITS.minPairHandshakes}
 * times are left out of the network so a tag split cannot point at one person.
 */

export const PULSE_LIMITS = {
  /** Someone is active when they were in a handshake this recently (to within 30 s). */
  activeWindowMinutes: 15,
  /** A company pair needs this many handshakes to appear in the network. */
  minPairHandshakes: 3,
  topStartups: 10,
  /** Largest companies kept in the network picture. */
  networkNodes: 60,
  networkEdges: 300,
  /** Live `event:stats` pushes per event at most this often. */
  liveIntervalMs: 1000,
} as const;

/** `GET /api/events/:eventId/stats/export` */
export const EventStatsExportQuerySchema = z.strictObject({
  format: z.enum(['csv'], { error: 'Format must be csv.' }).default('csv'),
});

/** Socket.io `stats:subscribe` / `stats:unsubscribe` payload. */
export const StatsSubscribeSchema = z.strictObject({ eventId: ObjectIdSchema });
export type StatsSubscribeInput = z.input<typeof StatsSubscribeSchema>;

export type StatsSubscribeAck = { ok: true } | { ok: false; code: string };

export interface PulseCompanyNodeDto {
  /** Stable key: the company name folded (lower case, no accents). */
  id: string;
  /** The company name as most of its people wrote it. */
  company: string;
  people: number;
  handshakes: number;
}

export interface PulseCompanyEdgeDto {
  /** Node ids, `a < b`. */
  a: string;
  b: string;
  /** Handshakes between people of the two companies. */
  count: number;
  /** Contacts (either direction) tagged co-operation / competition between them. */
  cooperation: number;
  competition: number;
}

export interface PulseTopStartupDto {
  teamId: string;
  name: string;
  /** Distinct people the team met at this event. */
  leads: number;
}

export interface EventStatsDto {
  eventId: string;
  handshakes: number;
  /** Distinct people in a handshake in the last 15 minutes. */
  activeAttendees: number;
  /** Everyone who joined the event. */
  members: number;
  /** Contacts from this event, by tag. */
  cooperation: number;
  competition: number;
  untagged: number;
  topStartups: PulseTopStartupDto[];
  network: {
    nodes: PulseCompanyNodeDto[];
    edges: PulseCompanyEdgeDto[];
    /** Pairs below this many handshakes are left out. */
    minPairHandshakes: number;
  };
  generatedAt: string;
}

/** `GET /api/events/:eventId/stats` (organizers) */
export interface EventStatsResponse {
  stats: EventStatsDto;
}
