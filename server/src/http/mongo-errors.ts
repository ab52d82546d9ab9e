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

/** What an unordered bulk write did: its result, and the statements that failed. */
export interface UnorderedOutcome<R> {
  /** Undefined only when a failure report came without one. */
  result: R | undefined;
  /** Index of each failed statement → its error code. */
  failed: Map<number, unknown>;
  /** The error the driver threw, when statements failed. */
  error?: unknown;
}

/**
 * Runs an unordered bulk write (or `insertMany`). Statements that failed come back by index
 * and code instead of as a throw, since the others were applied; anything else (a lost
 * connection, a write concern error) is thrown.
 */
export async function unorderedWrite<R>(write: () => Promise<R>): Promise<UnorderedOutcome<R>> {
  try {
    return { result: await write(), failed: new Map() };
  } catch (error) {
    const { writeErrors, result } = error as {
      writeErrors?: { index: number; code?: unknown }[];
      result?: R;
    };
    if (!writeErrors?.length) throw error;
    return { result, failed: new Map(writeErrors.map((e) => [e.index, e.code])), error };
  }
}
