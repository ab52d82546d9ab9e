import { z } from 'zod';
import { CONTACT_LIMITS, CONTACT_TAG_FILTERS } from './contacts';
import { ObjectIdSchema } from './events';

/** Contact exports: vCard 3.0 (phones, Outlook) or CSV (spreadsheets, CRMs). */
export const EXPORT_FORMATS = ['vcf', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** `GET /api/contacts/export?format=vcf|csv&eventId&tag&q` (same filters as the list). */
export const ContactExportQuerySchema = z.strictObject({
  format: z.enum(EXPORT_FORMATS, { error: 'format must be vcf or csv.' }).default('vcf'),
  eventId: ObjectIdSchema.optional(),
  tag: z
    .enum(CONTACT_TAG_FILTERS, { error: 'tag must be cooperation, competition or untagged.' })
    .optional(),
  q: z
    .string({ error: 'q must be text.' })
    .trim()
    .max(CONTACT_LIMITS.search, `Search at most ${CONTACT_LIMITS.search} characters.`)
    .optional(),
});
export type ContactExportQueryInput = z.input<typeof ContactExportQuerySchema>;

/** Words the exports use for tags (vCard CATEGORIES, CSV "Tag" column). */
export const TAG_EXPORT_LABELS = {
  cooperation: 'Co-operation',
  competition: 'Competition',
  none: '',
} as const;

/** CSV columns, in order. */
export const CSV_COLUMNS = [
  'Full name',
  'Title',
  'Company',
  'Email',
  'Phone',
  'Website',
  'LinkedIn',
  'Tag',
  'Rating',
  'Note',
  'Follow-up done',
  'Follow-up due',
  'Events',
  'Met at',
  'Co-operation match',
  'Bio',
  'Offering',
  'Seeking',
] as const;
