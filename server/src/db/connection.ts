import mongoose from 'mongoose';
import { resolveDatabase } from './resolve';

export interface DatabaseHandle {
  kind: 'mongodb' | 'embedded';
  /** Closes mongoose, then the database the server started itself (if any). */
  close(): Promise<void>;
}

export interface ConnectOptions {
  mongodbUri: string | undefined;
  mongodBinary: string | undefined;
  dataDir: string;
  /** Overrides the database name (tests use a fresh one each). */
  dbName?: string;
  log: (msg: string, meta?: Record<string, unknown>) => void;
}

/**
 * Resolves which database to use (MONGODB_URI, a local mongod, or the embedded store),
 * connects mongoose to it and builds the indexes the models declare. The rest of the
 * server only sees mongoose.
 */
export async function connectDatabase(options: ConnectOptions): Promise<DatabaseHandle> {
  const resolved = await resolveDatabase({
    mongodbUri: options.mongodbUri,
    mongodBinary: options.mongodBinary,
    dataDir: options.dataDir,
    log: options.log,
  });
  try {
    await mongoose.connect(resolved.uri, {
      dbName: options.dbName ?? (resolved.kind === 'embedded' ? 'coopetition' : undefined),
      serverSelectionTimeoutMS: 10_000,
    });
    await Promise.all(Object.values(mongoose.models).map((model) => model.init()));
  } catch (err) {
    await resolved.close();
    throw err;
  }
  return {
    kind: resolved.kind,
    async close() {
      await mongoose.disconnect();
      await resolved.close();
    },
  };
}
