import { z } from 'zod';
import { plainText } from './card';

/** Events and memberships: schemas shared by the organizer/join forms and the API. */

export const EVENT_LIMITS = {
  name: 120,
  venue: 160,
  /** An event (a conference, a tech week) lasts at most this long. */
  maxDurationDays: 62,
} as const;

/**
 * Join codes: 6 characters from an alphabet without look-alikes (no 0/O, 1/I/L), easy to
 * read aloud and type on a phone.
 */
export const JOIN_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const JOIN_CODE_LENGTH = 6;
export const JOIN_CODE_PATTERN = new RegExp(`^[${JOIN_CODE_ALPHABET}]{${JOIN_CODE_LENGTH}}$`);

export const MEMBERSHIP_ROLES = ['attendee', 'exhibitor', 'organizer'] as const;
export type MembershipRole = (typeof MEMBERSHIP_ROLES)[number];
/** Roles a person may pick when joining; organizers are made by the event's creator. */
export const JOIN_ROLES = ['attendee', 'exhibitor'] as const;

/** A MongoDB ObjectId as 24 hex characters. */
export const ObjectIdSchema = z
  .string({ error: 'Must be an id.' })
  .regex(/^[0-9a-f]{24}$/i, 'Must be an id.')
  .transform((value) => value.toLowerCase());

export function isValidTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const dateTime = (label: string) =>
  z.iso.datetime({ offset: true, error: `${label} must be a date and time (ISO 8601).` });

export const EventCreateSchema = z
  .strictObject({
    name: plainText(EVENT_LIMITS.name, { min: 1, label: 'Name' }),
    venue: plainText(EVENT_LIMITS.venue, { label: 'Venue' }).optional(),
    startsAt: dateTime('Start'),
    endsAt: dateTime('End'),
    /** IANA time zone (e.g. Europe/Paris) the event's times are shown in. */
    timezone: z
      .string({ error: 'Time zone must be text.' })
      .max(64, 'Unknown time zone.')
      .refine(isValidTimeZone, 'Unknown time zone.')
      .optional(),
  })
  .refine((value) => Date.parse(value.endsAt) > Date.parse(value.startsAt), {
    message: 'The end must be after the start.',
    path: ['endsAt'],
  })
  .refine(
    (value) =>
      Date.parse(value.endsAt) - Date.parse(value.startsAt) <=
      EVENT_LIMITS.maxDurationDays * 86_400_000,
    {
      message: `An event lasts at most ${EVENT_LIMITS.maxDurationDays} days.`,
      path: ['endsAt'],
    },
  );
export type EventCreateInput = z.input<typeof EventCreateSchema>;

/** Accepts what people type: spaces and dashes dropped, lower case folded. */
export const JoinCodeSchema = z
  .string({ error: 'Enter the event code.' })
  .max(32, 'Enter the 6-character event code.')
  .transform((value) => value.replace(/[\s-]/g, '').toUpperCase())
  .pipe(z.string().regex(JOIN_CODE_PATTERN, 'Enter the 6-character event code.'));

export const JoinEventSchema = z.strictObject({
  joinCode: JoinCodeSchema,
  /** The startup/company team whose stand the person staffs at this event. */
  teamId: ObjectIdSchema.optional(),
  role: z.enum(JOIN_ROLES, { error: 'Role must be attendee or exhibitor.' }).optional(),
});
export type JoinEventInput = z.input<typeof JoinEventSchema>;

export interface EventDto {
  id: string;
  name: string;
  venue: string;
  startsAt: string;
  endsAt: string;
  timezone: string;
  /** Members may share it: it is how others join. */
  joinCode: string;
  createdAt: string;
}

export interface MembershipDto {
  id: string;
  eventId: string;
  userId: string;
  role: MembershipRole;
  teamId: string | null;
  joinedAt: string;
}

/** `POST /api/events` (201). */
export interface EventResponse {
  event: EventDto;
}

/** `POST /api/events/join` and `GET /api/events/:eventId`. */
export interface EventMembershipResponse {
  event: EventDto;
  membership: MembershipDto;
}

/** `GET /api/me/events`: events I belong to, soonest first. */
export interface MyEventsResponse {
  items: EventMembershipResponse[];
}
