import type { Document } from 'bson';
import type { JournalRecord } from '../../journal/types';
import type { CursorRegistry } from '../cursors';
import type { Engine } from '../engine/engine';
import { parseSort, type SortSpec } from '../engine/query';
import { MongoError } from '../errors';
import { isPlainObject } from '../engine/values';

export interface CommandContext {
  engine: Engine;
  cursors: CursorRegistry;
  /** The command's `$db`. */
  db: string;
  /** Journal records of the changes this command made, appended before the reply. */
  records: JournalRecord[];
  connectionId: number;
}

export type CommandHandler = (cmd: Document, ctx: CommandContext) => Document;

/** The collection name a command targets (the value of its first field). */
export function collectionName(cmd: Document, command: string): string {
  const name: unknown = cmd[command];
  if (typeof name !== 'string' || name.length === 0) {
    throw new MongoError('InvalidNamespace', `collection name has invalid type ${typeof name}`);
  }
  return name;
}

export function optionalDocument(cmd: Document, field: string): Document | undefined {
  const value: unknown = cmd[field];
  if (value === undefined || value === null) return undefined;
  if (!isPlainObject(value)) {
    throw new MongoError(
      'TypeMismatch',
      `BSON field '${field}' is the wrong type, expected type 'object'`,
    );
  }
  return value;
}

export function optionalNumber(cmd: Document, field: string): number | undefined {
  const value: unknown = cmd[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new MongoError(
      'TypeMismatch',
      `BSON field '${field}' is the wrong type, expected a number`,
    );
  }
  return Math.trunc(value);
}

export function optionalSort(cmd: Document, field: string): SortSpec | undefined {
  const sort = optionalDocument(cmd, field);
  return sort && Object.keys(sort).length > 0 ? parseSort(sort) : undefined;
}

/** Refuses collations other than the default binary comparison, which is all the engine does. */
export function checkCollation(cmd: Document): void {
  const collation: unknown = cmd.collation;
  if (collation === undefined || collation === null) return;
  if (isPlainObject(collation) && collation.locale === 'simple') return;
  throw new MongoError('NotImplemented', 'collation is not supported by the embedded store');
}

export function documentArray(cmd: Document, field: string): Document[] {
  const value: unknown = cmd[field];
  if (!Array.isArray(value)) {
    throw new MongoError(
      'TypeMismatch',
      `BSON field '${field}' is the wrong type, expected type 'array'`,
    );
  }
  return value as Document[];
}
