/**
 * Connects the conformance tests to a database: real MongoDB when MONGODB_URI is set (each
 * suite gets its own database), otherwise an in-memory embedded store on a free port.
 */
import { randomBytes } from 'node:crypto';
import { MongoClient, MongoServerError, type Db, type Document, type ObjectId } from 'mongodb';
import { startEmbeddedStore, type EmbeddedStore } from '../../server/src/db/embedded';

/** Test documents with any `_id` type (the driver's default typing assumes ObjectId). */
export interface LooseDoc extends Document {
  _id?: string | number | boolean | Date | ObjectId;
}

export interface StoreHarness {
  uri: string;
  /** A fresh database name for this suite. */
  dbName: string;
  client: MongoClient;
  db: Db;
  /** Present only when running against the embedded store. */
  embedded: EmbeddedStore | undefined;
  isEmbedded: boolean;
  close(): Promise<void>;
}

export async function openHarness(suite: string): Promise<StoreHarness> {
  const external = process.env.MONGODB_URI;
  const embedded = external ? undefined : await startEmbeddedStore({ port: 0, ttlIntervalMs: 0 });
  const uri = external ?? (embedded as EmbeddedStore).uri;
  const dbName = `test_${suite}_${randomBytes(4).toString('hex')}`;
  const client = await new MongoClient(uri).connect();
  const db = client.db(dbName);
  return {
    uri,
    dbName,
    client,
    db,
    embedded,
    isEmbedded: embedded !== undefined,
    async close() {
      await db.dropDatabase().catch(() => undefined);
      await client.close();
      await embedded?.close();
    },
  };
}

/** Resolves to the server error a promise rejects with (fails if it resolves). */
export async function serverError(promise: Promise<unknown>): Promise<MongoServerError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof MongoServerError) return error;
    throw error;
  }
  throw new Error('expected a server error');
}
