import { z } from 'zod';
import { CONTROL_CHARACTERS, plainText } from './card';
import type { CardDto } from './card';

/** Accounts: the same schemas validate the sign-up/sign-in forms and the API. */

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;
export const NAME_MAX_LENGTH = 100;
export const EMAIL_MAX_LENGTH = 254;

export const LOCALES = ['en', 'fr'] as const;
export type Locale = (typeof LOCALES)[number];

/** Trimmed, lower-cased email address. */
export const EmailSchema = z
  .string({ error: 'Email must be text.' })
  .refine((value) => !CONTROL_CHARACTERS.test(value), 'Enter a valid email address.')
  .trim()
  .toLowerCase()
  .max(EMAIL_MAX_LENGTH, `Email must be at most ${EMAIL_MAX_LENGTH} characters.`)
  .pipe(z.email({ error: 'Enter a valid email address.' }));

/** A new password: length only (no composition rules); never trimmed. */
export const NewPasswordSchema = z
  .string({ error: 'Password must be text.' })
  .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters.`)
  .max(PASSWORD_MAX_LENGTH, `Use at most ${PASSWORD_MAX_LENGTH} characters.`);

/** A password being checked: any non-empty string up to the maximum. */
export const PasswordSchema = z
  .string({ error: 'Password must be text.' })
  .min(1, 'Enter your password.')
  .max(PASSWORD_MAX_LENGTH, `Use at most ${PASSWORD_MAX_LENGTH} characters.`);

export const RegisterSchema = z.strictObject({
  email: EmailSchema,
  password: NewPasswordSchema,
  name: plainText(NAME_MAX_LENGTH, { min: 1, label: 'Name' }),
  locale: z.enum(LOCALES, { error: 'Locale must be en or fr.' }).optional(),
});
export type RegisterInput = z.input<typeof RegisterSchema>;

export const LoginSchema = z.strictObject({
  email: EmailSchema,
  password: PasswordSchema,
});
export type LoginInput = z.input<typeof LoginSchema>;

/** `DELETE /api/me` body: the current password confirms the deletion. */
export const DeleteAccountSchema = z.strictObject({
  password: PasswordSchema,
});
export type DeleteAccountInput = z.input<typeof DeleteAccountSchema>;

export interface UserDto {
  id: string;
  email: string;
  name: string;
  locale: Locale;
  createdAt: string;
}

/**
 * `POST /api/auth/register` (201), `/login` and `/refresh`. The access token lives in
 * memory only; the refresh token travels in an httpOnly cookie scoped to /api/auth.
 */
export interface AuthResponse {
  user: UserDto;
  accessToken: string;
  /** When the access token expires (ISO 8601); refresh a little before. */
  accessTokenExpiresAt: string;
}

export type RefreshResponse = AuthResponse;

/** `GET /api/me`. */
export interface MeResponse {
  user: UserDto;
  card: CardDto | null;
}

/** Name of the httpOnly refresh cookie (Path=/api/auth). */
export const REFRESH_COOKIE = 'coop_refresh';

/** Error codes the auth endpoints answer with, for the client's messages. */
export const AUTH_ERROR_CODES = [
  'unauthorized',
  'token_expired',
  'invalid_token',
  'invalid_credentials',
  'email_taken',
  'refresh_missing',
  'refresh_invalid',
  'refresh_reused',
  'rate_limited',
] as const;
export type AuthErrorCode = (typeof AUTH_ERROR_CODES)[number];
