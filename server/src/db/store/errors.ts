import type { Document } from 'bson';

/** MongoDB error codes the store answers with, by name, so replies carry the real codeName. */
export const ErrorCodes = {
  InternalError: 1,
  BadValue: 2,
  FailedToParse: 9,
  TypeMismatch: 14,
  IllegalOperation: 20,
  NamespaceNotFound: 26,
  IndexNotFound: 27,
  ConflictingUpdateOperators: 40,
  CursorNotFound: 43,
  NamespaceExists: 48,
  DollarPrefixedFieldName: 52,
  CommandNotFound: 59,
  ImmutableField: 66,
  CannotCreateIndex: 67,
  InvalidOptions: 72,
  InvalidNamespace: 73,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
  CannotIndexParallelArrays: 171,
  NotImplemented: 238,
  InvalidResumeToken: 260,
  ChangeStreamFatalError: 280,
  ChangeStreamHistoryLost: 286,
  UnsupportedOpQueryCommand: 352,
  BSONObjectTooLarge: 10334,
  DuplicateKey: 11000,
  Location31254: 31254,
  Location40324: 40324,
  Location40415: 40415,
  Location40602: 40602,
  Location40674: 40674,
} as const;

export type ErrorCodeName = keyof typeof ErrorCodes;

/** An error that becomes `{ok: 0, errmsg, code, codeName, ...extra}` in a reply. */
export class MongoError extends Error {
  readonly code: number;
  constructor(
    readonly codeName: ErrorCodeName,
    message: string,
    readonly extra: Document = {},
  ) {
    super(message);
    this.code = ErrorCodes[codeName];
  }

  toReply(): Document {
    return { ok: 0, errmsg: this.message, code: this.code, codeName: this.codeName, ...this.extra };
  }

  /** The shape of one entry in a write command's `writeErrors`. */
  toWriteError(index: number): Document {
    return { index, code: this.code, errmsg: this.message, ...this.extra };
  }
}

/**
 * Converts anything thrown while evaluating a query, update or pipeline into a MongoError.
 * The query engine reports malformed operators with plain errors; MongoDB answers those with
 * BadValue, so that is the honest default.
 */
export function toMongoError(error: unknown): MongoError {
  if (error instanceof MongoError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const stage = /unregistered pipeline operator (\$\w+)/.exec(message);
  if (stage) {
    return new MongoError('Location40324', `Unrecognized pipeline stage name: '${stage[1]}'`);
  }
  return new MongoError('BadValue', message);
}
