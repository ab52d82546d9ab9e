import type { z } from 'zod';
import { ApiError, NetworkError } from '../api';
import type { Translate } from '../i18n/i18n';

/** Field name → translated message, for the first problem of each field. */
export type FieldErrors = Partial<Record<string, string>>;

const HTTPS_FIELDS = new Set(['website', 'linkedin']);

/**
 * Turns a zod issue from the shared schemas into the person's language: the schemas speak
 * English to API clients, so the form maps codes and paths to its own strings.
 */
export function issueMessage(issue: z.core.$ZodIssue, t: Translate): string {
  const field = String(issue.path[0] ?? '');
  if (field === 'photo') return t('validation.photo');
  if (field === 'email' && issue.code !== 'too_big') return t('validation.email');
  if (HTTPS_FIELDS.has(field) && issue.code !== 'too_big') return t('validation.https');
  if (field === 'joinCode') return t('validation.joinCode');
  switch (issue.code) {
    case 'too_small':
      if (field === 'password' && Number(issue.minimum) > 1) {
        return t('validation.passwordMin', { min: Number(issue.minimum) });
      }
      return t('validation.required');
    case 'too_big':
      return t('validation.tooLong', { max: Number(issue.maximum) });
    case 'custom':
      if (field === 'phone') return t('validation.phone');
      return t('validation.controlCharacters');
    case 'invalid_type':
      return t('validation.required');
    default:
      return t('validation.invalid');
  }
}

/** Validates with a shared schema; returns the parsed value or translated field errors. */
export function validate<S extends z.ZodType>(
  schema: S,
  value: unknown,
  t: Translate,
): { ok: true; data: z.output<S> } | { ok: false; errors: FieldErrors } {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? '_form');
    errors[field] ??= issueMessage(issue, t);
  }
  return { ok: false, errors };
}

/** What went wrong, in words the person can act on (never a raw code). */
export function errorMessage(err: unknown, t: Translate): string {
  if (err instanceof NetworkError) return t('error.network');
  if (!(err instanceof ApiError)) return t('error.generic');
  switch (err.code) {
    case 'invalid_credentials':
      return t('error.invalidCredentials');
    case 'email_taken':
      return t('error.emailTaken');
    case 'rate_limited':
      return t('error.rateLimited');
    case 'event_not_found':
    case 'join_code_invalid':
    case 'join_code_not_found':
      return t('error.joinCode');
    case 'contact_not_found':
    case 'not_found':
      return t('error.notFound');
    case 'code_expired':
      return t('error.codeExpired');
    case 'unauthorized':
    case 'token_expired':
    case 'invalid_token':
      return t('error.signedOut');
    case 'validation_failed':
      return t('error.validation');
    default:
      return err.status >= 500 ? t('error.server') : t('error.generic');
  }
}
