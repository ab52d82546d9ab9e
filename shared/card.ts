import { z } from 'zod';

/**
 * The business card: one per user. The same schemas validate the card editor in the
 * browser and `PUT /api/me/card` on the server.
 */

/** Every field a card can carry besides the photo. */
export const CARD_FIELDS = [
  'fullName',
  'title',
  'company',
  'email',
  'phone',
  'website',
  'linkedin',
  'bio',
  'offering',
  'seeking',
] as const;
export type CardField = (typeof CARD_FIELDS)[number];

/** Fields the owner may hide. The name is always shown: a card without one is no card. */
export const CARD_VISIBILITY_FIELDS = [
  'title',
  'company',
  'email',
  'phone',
  'website',
  'linkedin',
  'bio',
  'offering',
  'seeking',
  'photo',
] as const;
export type CardVisibilityField = (typeof CARD_VISIBILITY_FIELDS)[number];
export type CardVisibility = Record<CardVisibilityField, boolean>;

export const DEFAULT_CARD_VISIBILITY: CardVisibility = {
  title: true,
  company: true,
  email: true,
  phone: true,
  website: true,
  linkedin: true,
  bio: true,
  offering: true,
  seeking: true,
  photo: true,
};

/** Maximum lengths in characters (after trimming), and the photo size in bytes. */
export const CARD_LIMITS = {
  fullName: 100,
  title: 100,
  company: 100,
  email: 254,
  phone: 32,
  website: 300,
  linkedin: 300,
  bio: 500,
  offering: 280,
  seeking: 280,
  photoBytes: 150 * 1024,
} as const;

export const PHOTO_DATA_URL_PREFIX = 'data:image/jpeg;base64,';

/**
 * C0/C1 control characters (CR, LF, tab, NUL, …), the Unicode line/paragraph separators,
 * and the bidirectional overrides and isolates. None belongs on a business card: CR/LF
 * would inject vCard properties, and a direction override makes a name read as another.
 * (Arabic or Hebrew text needs none of them: its direction comes from its letters.)
 */
export const CONTROL_CHARACTERS =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

export function hasControlCharacters(value: string): boolean {
  return CONTROL_CHARACTERS.test(value);
}

const NO_CONTROL_MESSAGE = 'Line breaks, tabs and control characters are not allowed.';

/**
 * A trimmed, NFC-normalised single-line text (accents kept exactly as typed), at most
 * `max` characters, without control characters.
 */
export function plainText(max: number, options: { min?: number; label?: string } = {}) {
  const label = options.label ?? 'This field';
  let schema = z
    .string({ error: `${label} must be text.` })
    .refine((value) => !hasControlCharacters(value), NO_CONTROL_MESSAGE)
    .trim()
    .overwrite((value) => value.normalize('NFC'))
    .max(max, `${label} must be at most ${max} characters.`);
  if (options.min) schema = schema.min(options.min, `${label} is required.`);
  return schema;
}

/** Optional text: an empty string clears the field. */
const optionalText = (max: number, label: string) => plainText(max, { label }).optional();

const emailField = z
  .string({ error: 'Email must be text.' })
  .refine((value) => !hasControlCharacters(value), NO_CONTROL_MESSAGE)
  .trim()
  .toLowerCase()
  .max(CARD_LIMITS.email, `Email must be at most ${CARD_LIMITS.email} characters.`)
  .pipe(z.union([z.literal(''), z.email({ error: 'Enter a valid email address.' })]));

/** Spaces, dots, dashes, slashes and brackets people type in phone numbers; dropped. */
const PHONE_SEPARATORS = /[ \u00a0.\-/()]/g;

/** Normalises a phone number to digits with an optional leading `+`. */
export function normalizePhone(value: string): string {
  return value.replace(PHONE_SEPARATORS, '');
}

const phoneField = z
  .string({ error: 'Phone must be text.' })
  .refine((value) => !hasControlCharacters(value), NO_CONTROL_MESSAGE)
  .trim()
  .overwrite(normalizePhone)
  .refine(
    (value) => value === '' || /^\+?[0-9]{4,20}$/.test(value),
    'Enter a phone number with digits only, optionally starting with +.',
  )
  .max(CARD_LIMITS.phone, `Phone must be at most ${CARD_LIMITS.phone} characters.`);

/** An `https:` link to a public host; stored in its canonical form. */
export function httpsUrl(max: number, label: string) {
  return z
    .string({ error: `${label} must be text.` })
    .refine((value) => !hasControlCharacters(value), NO_CONTROL_MESSAGE)
    .trim()
    .max(max, `${label} must be at most ${max} characters.`)
    .refine((value) => !/\s/.test(value), `${label} must not contain spaces.`)
    .pipe(
      z.union([
        z.literal(''),
        z
          .url({
            protocol: /^https$/,
            hostname: z.regexes.domain,
            error: `${label} must be an https:// link.`,
          })
          .transform((value) => new URL(value).href),
      ]),
    );
}

/** Decoded size of a base64 string without decoding it. */
export function base64DecodedLength(base64: string): number {
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  return (base64.length / 4) * 3 - padding;
}

const MAX_PHOTO_DATA_URL_LENGTH =
  PHOTO_DATA_URL_PREFIX.length + Math.ceil(CARD_LIMITS.photoBytes / 3) * 4;

/**
 * A JPEG as a base64 data URL, at most 150 KB decoded. "/9j/" is the base64 of the
 * JPEG start-of-image marker FF D8 FF, so the magic bytes are checked without decoding.
 */
export const PhotoDataUrlSchema = z
  .string({ error: 'The photo must be a data URL.' })
  .max(MAX_PHOTO_DATA_URL_LENGTH + 4, 'The photo must be at most 150 KB.')
  .refine(
    (value) => value.startsWith(PHOTO_DATA_URL_PREFIX),
    'The photo must be a JPEG image (data:image/jpeg;base64,…).',
  )
  .refine((value) => {
    const data = value.slice(PHOTO_DATA_URL_PREFIX.length);
    return data.length % 4 === 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(data);
  }, 'The photo is not valid base64.')
  .refine(
    (value) => value.startsWith(`${PHOTO_DATA_URL_PREFIX}/9j/`),
    'The photo must be a JPEG image.',
  )
  .refine(
    (value) =>
      base64DecodedLength(value.slice(PHOTO_DATA_URL_PREFIX.length)) <= CARD_LIMITS.photoBytes,
    'The photo must be at most 150 KB.',
  );

export const CardVisibilitySchema = z.strictObject(
  Object.fromEntries(CARD_VISIBILITY_FIELDS.map((f) => [f, z.boolean().optional()])) as Record<
    CardVisibilityField,
    z.ZodOptional<z.ZodBoolean>
  >,
);

/**
 * `PUT /api/me/card`. Text fields: omitted or "" means empty. `photo`: omitted keeps the
 * current photo, `null` removes it, a data URL replaces it. `visibility`: fields left out
 * keep their current setting.
 */
export const CardUpdateSchema = z.strictObject({
  fullName: plainText(CARD_LIMITS.fullName, { min: 1, label: 'Name' }),
  title: optionalText(CARD_LIMITS.title, 'Title'),
  company: optionalText(CARD_LIMITS.company, 'Company'),
  email: emailField.optional(),
  phone: phoneField.optional(),
  website: httpsUrl(CARD_LIMITS.website, 'Website').optional(),
  linkedin: httpsUrl(CARD_LIMITS.linkedin, 'LinkedIn').optional(),
  bio: optionalText(CARD_LIMITS.bio, 'Bio'),
  offering: optionalText(CARD_LIMITS.offering, 'Offering'),
  seeking: optionalText(CARD_LIMITS.seeking, 'Seeking'),
  photo: PhotoDataUrlSchema.nullable().optional(),
  visibility: CardVisibilitySchema.optional(),
});
export type CardUpdateInput = z.input<typeof CardUpdateSchema>;
export type CardUpdate = z.output<typeof CardUpdateSchema>;

/** My own card, as `GET|PUT /api/me/card` and `GET /api/me` return it. */
export interface CardDto {
  fullName: string;
  title: string;
  company: string;
  email: string;
  phone: string;
  website: string;
  linkedin: string;
  bio: string;
  offering: string;
  seeking: string;
  /** `data:image/jpeg;base64,…` or null. */
  photo: string | null;
  visibility: CardVisibility;
  updatedAt: string;
}

export interface CardResponse {
  card: CardDto;
}

/**
 * What others see: only the fields the owner made visible and filled in. This is also the
 * snapshot a contact keeps from the exchange.
 */
export interface VisibleCardDto {
  fullName: string;
  title?: string;
  company?: string;
  email?: string;
  phone?: string;
  website?: string;
  linkedin?: string;
  bio?: string;
  offering?: string;
  seeking?: string;
  /** `data:image/jpeg;base64,…` */
  photo?: string;
}
