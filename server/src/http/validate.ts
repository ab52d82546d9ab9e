import type { Request } from 'express';
import type { z } from 'zod';
import { ClientRefSchema } from '../../../shared/exchange';
import { ValidationError } from '../errors';

/** A readable list of what is wrong, safe to send to the client. */
export function zodDetails(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}

/** Parses untrusted input with a shared schema or throws a 400 `validation_failed`. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success)
    throw new ValidationError('The request is not valid.', zodDetails(result.error));
  return result.data;
}

/**
 * The `Idempotency-Key` header (printable ASCII, at most 128 characters, as a handshake's
 * `clientRef`), or undefined without one; 400 `validation_failed` when it is malformed.
 */
export function idempotencyKey(req: Request): string | undefined {
  const header = req.get('idempotency-key');
  if (header === undefined) return undefined;
  return parseInput(ClientRefSchema, header);
}
