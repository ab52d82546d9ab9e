/**
 * True for MongoDB's duplicate-key error (code 11000), optionally on a given field.
 * Uniqueness is always decided by a unique index; this tells that case apart.
 */
export function isDuplicateKeyError(err: unknown, field?: string): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, keyPattern, keyValue, message } = err as {
    code?: unknown;
    keyPattern?: Record<string, unknown>;
    keyValue?: Record<string, unknown>;
    message?: unknown;
  };
  if (code !== 11000) return false;
  if (!field) return true;
  if (keyPattern && field in keyPattern) return true;
  if (keyValue && field in keyValue) return true;
  // Some servers only name the index in the message (e.g. "index: joinCode_1").
  return typeof message === 'string' && message.includes(`${field}_1`);
}
