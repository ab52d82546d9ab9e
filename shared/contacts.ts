import { z } from 'zod';
import type { VisibleCardDto } from './card';
import { ObjectIdSchema } from './events';

/** Contacts: the cards I received, with my own tag, rating, note and follow-up. */

export const CONTACT_TAGS = ['cooperation', 'competition', 'none'] as const;
export type ContactTag = (typeof CONTACT_TAGS)[number];

/** List filter: `untagged` selects contacts whose tag is `none`. */
export const CONTACT_TAG_FILTERS = ['cooperation', 'competition', 'untagged'] as const;
export type ContactTagFilter = (typeof CONTACT_TAG_FILTERS)[number];

export const CONTACT_RATINGS = ['hot', 'warm', 'cold'] as const;
export type ContactRating = (typeof CONTACT_RATINGS)[number];

export const CONTACT_LIMITS = {
  note: 2000,
  search: 100,
  pageSizeDefault: 20,
  pageSizeMax: 100,
  cursor: 200,
} as const;

/**
 * Control characters other than tab and line breaks: a note may span lines, but nothing
 * else invisible belongs in it (it is exported to vCard NOTE and CSV).
 */
// eslint-disable-next-line no-control-regex
const NOTE_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

export const ContactNoteSchema = z
  .string({ error: 'The note must be text.' })
  .refine((value) => !NOTE_FORBIDDEN.test(value), 'The note contains control characters.')
  .overwrite((value) => value.replace(/\r\n?/g, '\n').normalize('NFC'))
  .refine(
    (value) => value.length <= CONTACT_LIMITS.note,
    `The note must be at most ${CONTACT_LIMITS.note} characters.`,
  );

export const FollowUpSchema = z.strictObject({
  done: z.boolean({ error: 'done must be true or false.' }),
  dueAt: z.iso
    .datetime({ offset: true, error: 'dueAt must be a date and time (ISO 8601).' })
    .nullable()
    .optional(),
});

/**
 * `PATCH /api/contacts/:contactId`: any subset of tag, rating (null clears), note ("" clears)
 * and followUp (null clears).
 */
export const ContactUpdateSchema = z
  .strictObject({
    tag: z
      .enum(CONTACT_TAGS, { error: 'tag must be cooperation, competition or none.' })
      .optional(),
    rating: z
      .enum(CONTACT_RATINGS, { error: 'rating must be hot, warm, cold or null.' })
      .nullable()
      .optional(),
    note: ContactNoteSchema.optional(),
    followUp: FollowUpSchema.nullable().optional(),
  })
  .refine((value) => Object.keys(value).length > 0, 'Nothing to update.');
export type ContactUpdateInput = z.input<typeof ContactUpdateSchema>;
export type ContactUpdate = z.output<typeof ContactUpdateSchema>;

/** `GET /api/contacts` query string. Newest first; pass `nextCursor` back as `cursor`. */
export const ContactListQuerySchema = z.strictObject({
  eventId: ObjectIdSchema.optional(),
  tag: z
    .enum(CONTACT_TAG_FILTERS, { error: 'tag must be cooperation, competition or untagged.' })
    .optional(),
  q: z
    .string({ error: 'q must be text.' })
    .trim()
    .max(CONTACT_LIMITS.search, `Search at most ${CONTACT_LIMITS.search} characters.`)
    .optional(),
  cursor: z
    .string({ error: 'cursor must be text.' })
    .max(CONTACT_LIMITS.cursor, 'cursor is not valid.')
    .regex(/^[A-Za-z0-9_-]+$/, 'cursor is not valid.')
    .optional(),
  limit: z.coerce
    .number({ error: 'limit must be a number.' })
    .int('limit must be a whole number.')
    .min(1, 'limit must be at least 1.')
    .max(CONTACT_LIMITS.pageSizeMax, `limit must be at most ${CONTACT_LIMITS.pageSizeMax}.`)
    .default(CONTACT_LIMITS.pageSizeDefault),
});
export type ContactListQueryInput = z.input<typeof ContactListQuerySchema>;
export type ContactListQuery = z.output<typeof ContactListQuerySchema>;

/** Filter for lists and exports (`iterateContacts` on the server). */
export interface ContactFilter {
  eventId?: string;
  tag?: ContactTagFilter;
  q?: string;
}

export interface FollowUpDto {
  done: boolean;
  dueAt: string | null;
}

/** One contact, as its owner sees it. Never carries the other person's tag. */
export interface ContactDto {
  id: string;
  otherUserId: string;
  /** The other person's visible card as it was at the (latest) exchange. */
  card: VisibleCardDto;
  /** Events we met at, oldest first. */
  eventIds: string[];
  tag: ContactTag;
  rating: ContactRating | null;
  note: string;
  followUp: FollowUpDto | null;
  /** Set once both people tagged each other co-operation. */
  cooperationMatchedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ContactResponse {
  contact: ContactDto;
}

/** `GET /api/contacts`. */
export interface ContactListResponse {
  items: ContactDto[];
  nextCursor: string | null;
}

/** Error codes of this feature (status in brackets). */
export const CONTACT_ERROR_CODES = [
  'contact_not_found', // 404: unknown, malformed or someone else's
  'validation_failed', // 400
] as const;
export type ContactErrorCode = (typeof CONTACT_ERROR_CODES)[number];
