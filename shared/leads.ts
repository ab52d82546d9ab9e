import { z } from 'zod';
import { plainText } from './card';
import { ContactNoteSchema } from './contacts';
import { ObjectIdSchema } from './events';

/**
 * Team leads: one per person a team's staff met (however many staff met them), with
 * every encounter kept. Tags, ratings, notes and assignments on a lead are the team's;
 * they never change the staff member's private contact.
 */

export const LEAD_TAGS = ['cooperation', 'competition', 'none'] as const;
export type LeadTag = (typeof LEAD_TAGS)[number];

/** Board filter: `untagged` selects leads whose tag is `none`. */
export const LEAD_TAG_FILTERS = ['cooperation', 'competition', 'untagged'] as const;
export type LeadTagFilter = (typeof LEAD_TAG_FILTERS)[number];

export const LEAD_RATINGS = ['hot', 'warm', 'cold'] as const;
export type LeadRating = (typeof LEAD_RATINGS)[number];

export const LEAD_SORTS = ['recent', 'name', 'company'] as const;
export type LeadSort = (typeof LEAD_SORTS)[number];

export const LEAD_LIMITS = {
  note: 2000,
  search: 100,
  pageDefault: 25,
  pageMax: 100,
  bulkMax: 500,
  /** Notes kept per lead; the oldest stay, new ones are refused beyond this. */
  notesMax: 200,
  cursor: 300,
} as const;

const dateBound = z.union([z.iso.datetime({ offset: true }), z.iso.date()], {
  error: 'Use a date (YYYY-MM-DD) or a date and time (ISO 8601).',
});

const booleanParam = z.enum(['true', 'false'], { error: 'Use true or false.' });

/**
 * Filters shared by the board, the stats and the export. Query strings only: every value
 * is one string (a repeated parameter is refused). A date-only `from` starts at 00:00 UTC;
 * a date-only `to` includes that whole day (UTC).
 */
export const LeadFilterShape = {
  eventId: ObjectIdSchema.optional(),
  tag: z
    .enum(LEAD_TAG_FILTERS, { error: 'Tag must be cooperation, competition or untagged.' })
    .optional(),
  rating: z.enum(LEAD_RATINGS, { error: 'Rating must be hot, warm or cold.' }).optional(),
  /** Leads this staff member met. */
  memberId: ObjectIdSchema.optional(),
  assigneeId: ObjectIdSchema.optional(),
  followedUp: booleanParam.optional(),
  q: plainText(LEAD_LIMITS.search, { label: 'Search' }).optional(),
  from: dateBound.optional(),
  to: dateBound.optional(),
} as const;

export const LeadFilterSchema = z.strictObject(LeadFilterShape);
export type LeadFilterInput = z.input<typeof LeadFilterSchema>;
export type LeadFilter = z.output<typeof LeadFilterSchema>;

/** `GET /api/teams/:teamId/leads` */
export const LeadListQuerySchema = z.strictObject({
  ...LeadFilterShape,
  sort: z.enum(LEAD_SORTS, { error: 'Sort by recent, name or company.' }).default('recent'),
  cursor: z.string().max(LEAD_LIMITS.cursor, 'The cursor is not valid.').optional(),
  limit: z.coerce
    .number({ error: 'Limit must be a number.' })
    .int('Limit must be a whole number.')
    .min(1, 'Limit must be at least 1.')
    .max(LEAD_LIMITS.pageMax, `Limit must be at most ${LEAD_LIMITS.pageMax}.`)
    .default(LEAD_LIMITS.pageDefault),
});
export type LeadListQueryInput = z.input<typeof LeadListQuerySchema>;
export type LeadListQuery = z.output<typeof LeadListQuerySchema>;

/** `GET /api/teams/:teamId/leads/export` */
export const LeadExportQuerySchema = z.strictObject({
  ...LeadFilterShape,
  format: z.enum(['csv', 'vcf'], { error: 'Format must be csv or vcf.' }),
});
export type LeadExportQueryInput = z.input<typeof LeadExportQuerySchema>;

/** `GET /api/teams/:teamId/leads/stats` takes the board's filters. */
export const LeadStatsQuerySchema = LeadFilterSchema;

/** Same rules as a contact's note (may span lines, no other control characters), not empty. */
const noteText = ContactNoteSchema.refine((value) => value.trim().length > 0, 'Write a note.');

/** `PATCH /api/teams/:teamId/leads/:leadId`: `note` appends a team note. */
export const LeadUpdateSchema = z
  .strictObject({
    tag: z.enum(LEAD_TAGS, { error: 'Tag must be cooperation, competition or none.' }).optional(),
    /** null clears the rating. */
    rating: z
      .enum(LEAD_RATINGS, { error: 'Rating must be hot, warm or cold.' })
      .nullable()
      .optional(),
    /** null unassigns. The assignee must be a member of the team. */
    assigneeId: ObjectIdSchema.nullable().optional(),
    followedUp: z.boolean({ error: 'followedUp must be true or false.' }).optional(),
    note: noteText.optional(),
  })
  .refine((value) => Object.values(value).some((v) => v !== undefined), {
    message: 'Nothing to change.',
  });
export type LeadUpdateInput = z.input<typeof LeadUpdateSchema>;

/** `POST /api/teams/:teamId/leads/bulk`: the same change applied to up to 500 leads. */
export const LeadBulkUpdateSchema = z
  .strictObject({
    leadIds: z
      .array(ObjectIdSchema, { error: 'leadIds must be a list of ids.' })
      .min(1, 'Select at least one lead.')
      .max(LEAD_LIMITS.bulkMax, `Select at most ${LEAD_LIMITS.bulkMax} leads.`),
    tag: z.enum(LEAD_TAGS, { error: 'Tag must be cooperation, competition or none.' }).optional(),
    assigneeId: ObjectIdSchema.nullable().optional(),
    followedUp: z.boolean({ error: 'followedUp must be true or false.' }).optional(),
  })
  .refine(
    (value) =>
      value.tag !== undefined || value.assigneeId !== undefined || value.followedUp !== undefined,
    { message: 'Nothing to change.' },
  );
export type LeadBulkUpdateInput = z.input<typeof LeadBulkUpdateSchema>;

/** What the team knows of the person: the card they shared at the latest encounter. */
export interface LeadPersonDto {
  userId: string;
  fullName: string;
  title?: string;
  company?: string;
  email?: string;
  phone?: string;
  website?: string;
  linkedin?: string;
}

export interface LeadUserRefDto {
  userId: string;
  /** The person's name, or "" when the account is gone. */
  name: string;
}

export interface LeadSummaryDto {
  id: string;
  teamId: string;
  person: LeadPersonDto;
  tag: LeadTag;
  rating: LeadRating | null;
  assignee: LeadUserRefDto | null;
  followedUp: boolean;
  /** Staff members who met the person, first met first. */
  metBy: LeadUserRefDto[];
  eventIds: string[];
  encounterCount: number;
  noteCount: number;
  firstMetAt: string;
  lastMetAt: string;
  updatedAt: string;
}

export interface LeadEncounterDto {
  member: LeadUserRefDto;
  eventId: string;
  eventName: string;
  at: string;
  handshakeId: string;
}

export interface LeadNoteDto {
  author: LeadUserRefDto;
  text: string;
  at: string;
}

export interface LeadDetailDto extends LeadSummaryDto {
  /** Oldest first. */
  encounters: LeadEncounterDto[];
  /** Oldest first. */
  notes: LeadNoteDto[];
}

/** `GET /api/teams/:teamId/leads` */
export interface LeadListResponse {
  items: LeadSummaryDto[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** `GET|PATCH /api/teams/:teamId/leads/:leadId` */
export interface LeadResponse {
  lead: LeadDetailDto;
}

/** `POST /api/teams/:teamId/leads/bulk` */
export interface LeadBulkUpdateResponse {
  updated: number;
}

/** `GET /api/teams/:teamId/leads/stats` */
export interface TeamLeadStatsDto {
  total: number;
  byTag: Record<LeadTag, number>;
  /** Every staff member who met someone in the selection, most leads first. */
  byMember: (LeadUserRefDto & { leads: number; encounters: number })[];
  /**
   * Encounters per hour, oldest first, empty hours included between the first and the
   * last. `hour` is local to `timezone`: the event's when one event is selected, else UTC.
   */
  byHour: { hour: string; encounters: number }[];
  timezone: string;
  followUp: { followedUp: number; pending: number; assigned: number };
}

export interface TeamLeadStatsResponse {
  stats: TeamLeadStatsDto;
}
