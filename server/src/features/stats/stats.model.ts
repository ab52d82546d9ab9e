import { model, Schema, type InferSchemaType } from 'mongoose';

/**
 * The organizer pulse is read from small aggregate documents kept up to date as handshakes,
 * contacts and leads are written (`$inc` with upsert on unique keys, no transactions), so
 * reading it costs the size of the answer, not the size of the event.
 *
 * - Counted once: a handshake when it is created (re-scans and scan-backs add nothing), a
 *   contact when its handshake is created (under the tag it has then), a lead when it is
 *   new at the event. A tag change moves one contact from the old tag to the new one at
 *   every event the contact came from, using the pre-image of the update that set it.
 * - Companies: a person counts for the company their card shows others at their first
 *   handshake at the event (a hidden company is never recorded, so it never appears); it
 *   stays fixed for that event so later tag changes land on the same company pair. Pairs
 *   under the minimum handshakes are still filtered out when the pulse is read.
 * - Account deletion tombstones the person elsewhere; these counts hold no personal data
 *   and stay as they are (the handshakes did happen). The per-attendee rows carry a user
 *   id that is never shown; they vanish with the event's aggregates on a rebuild.
 * - Counters missing or off (data written before they existed, a crash between a write and
 *   its counter): `rebuildEventStats` recomputes an event from the source collections. It
 *   is not run on its own; a new event simply starts at zero.
 */

/** One per event: handshakes, and contacts from the event by tag. */
const eventStatsSchema = new Schema(
  {
    eventId: { type: Schema.Types.ObjectId, required: true },
    handshakes: { type: Number, default: 0 },
    cooperation: { type: Number, default: 0 },
    competition: { type: Number, default: 0 },
    untagged: { type: Number, default: 0 },
  },
  { strict: 'throw', versionKey: false },
);
eventStatsSchema.index({ eventId: 1 }, { unique: true });
export type EventStats = InferSchemaType<typeof eventStatsSchema>;
export const EventStatsModel = model('EventStats', eventStatsSchema, 'eventStats');

/**
 * One per (event, person) who took part in a handshake there: when they last did (active
 * attendees), and the company they count for at this event, fixed at their first
 * handshake there so tag changes later move counts on the same company pair.
 */
const eventAttendeeSchema = new Schema(
  {
    eventId: { type: Schema.Types.ObjectId, required: true },
    userId: { type: Schema.Types.ObjectId, required: true },
    lastActiveAt: { type: Date, required: true },
    /** Folded company name; null when the card shows none (or hides it). */
    companyKey: { type: String, default: null },
  },
  { strict: 'throw', versionKey: false },
);
eventAttendeeSchema.index({ eventId: 1, userId: 1 }, { unique: true });
eventAttendeeSchema.index({ eventId: 1, lastActiveAt: -1 });
export const EventAttendeeStatsModel = model(
  'EventAttendeeStats',
  eventAttendeeSchema,
  'eventStatsAttendees',
);

/** One per (event, company): its people in handshakes, and handshakes they were in. */
const eventCompanySchema = new Schema(
  {
    eventId: { type: Schema.Types.ObjectId, required: true },
    key: { type: String, required: true },
    people: { type: Number, default: 0 },
    handshakes: { type: Number, default: 0 },
  },
  { strict: 'throw', versionKey: false },
);
eventCompanySchema.index({ eventId: 1, key: 1 }, { unique: true });
eventCompanySchema.index({ eventId: 1, handshakes: -1 });
export const EventCompanyStatsModel = model(
  'EventCompanyStats',
  eventCompanySchema,
  'eventStatsCompanies',
);

/** One per (event, company, spelling): how many of its people wrote it that way. */
const eventCompanyNameSchema = new Schema(
  {
    eventId: { type: Schema.Types.ObjectId, required: true },
    key: { type: String, required: true },
    name: { type: String, required: true },
    people: { type: Number, default: 0 },
  },
  { strict: 'throw', versionKey: false },
);
eventCompanyNameSchema.index({ eventId: 1, key: 1, name: 1 }, { unique: true });
export const EventCompanyNameStatsModel = model(
  'EventCompanyNameStats',
  eventCompanyNameSchema,
  'eventStatsCompanyNames',
);

/**
 * One per (event, company pair), `a < b`: handshakes between them and their tags. The id
 * is {@link pairStatsId}, so the pulse fetches exactly the pairs among the companies it
 * shows by id, however many pairs the event has.
 */
const eventPairSchema = new Schema(
  {
    _id: { type: String, required: true },
    eventId: { type: Schema.Types.ObjectId, required: true },
    a: { type: String, required: true },
    b: { type: String, required: true },
    count: { type: Number, default: 0 },
    cooperation: { type: Number, default: 0 },
    competition: { type: Number, default: 0 },
  },
  { strict: 'throw', versionKey: false },
);
eventPairSchema.index({ eventId: 1 });
export const EventPairStatsModel = model('EventPairStats', eventPairSchema, 'eventStatsPairs');

/** The id of a company pair's row: unambiguous whatever the company names contain. */
export function pairStatsId(eventId: { toString(): string }, a: string, b: string): string {
  const [x, y] = a < b ? [a, b] : [b, a];
  return JSON.stringify([eventId.toString(), x, y]);
}

/** One per (event, team): distinct people the team met at the event (its leads there). */
const eventTeamSchema = new Schema(
  {
    eventId: { type: Schema.Types.ObjectId, required: true },
    teamId: { type: Schema.Types.ObjectId, required: true },
    leads: { type: Number, default: 0 },
  },
  { strict: 'throw', versionKey: false },
);
eventTeamSchema.index({ eventId: 1, teamId: 1 }, { unique: true });
eventTeamSchema.index({ eventId: 1, leads: -1 });
export const EventTeamStatsModel = model('EventTeamStats', eventTeamSchema, 'eventStatsTeams');

export type EventAttendeeStats = InferSchemaType<typeof eventAttendeeSchema>;
