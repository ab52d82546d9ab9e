/**
 * The embedded store on its own thread. It is a database server: run on the application's
 * event loop, every command it answers (parsing BSON, planning, updating indexes, writing
 * the journal) would be time the application's requests wait for. On a thread of its own
 * it uses the machine's other core, the way a separate mongod would, while sharing the
 * application's lifetime: it stops when the application process ends, and a kill of the
 * process leaves its journal exactly as a kill of the store alone would.
 */
import { Worker } from 'node:worker_threads';
import type { EmbeddedStoreOptions } from './embedded';

/** What the thread is told to start (the options that cross a thread boundary). */
export type StoreThreadOptions = Pick<
  EmbeddedStoreOptions,
  'host' | 'port' | 'socketPath' | 'dbpath' | 'ttlIntervalMs' | 'compactAfterRecords'
>;

/** Messages from the store thread (see store-thread.main.ts). */
export type StoreThreadMessage =
  | { type: 'ready'; uri: string }
  | { type: 'failed'; message: string }
  | { type: 'log'; msg: string; meta?: Record<string, unknown> }
  | { type: 'closed' };

export interface StoreThread {
  uri: string;
  /** Stops accepting, closes connections, flushes and closes the journal, ends the thread. */
  close(): Promise<void>;
}

/** Starts the embedded store on a worker thread; resolves once it accepts connections. */
export function startStoreThread(
  options: StoreThreadOptions,
  log: (msg: string, meta?: Record<string, unknown>) => void,
  /** The store stopped without being closed (a crash): the application has no database. */
  onLost: (reason: string) => void,
): Promise<StoreThread> {
  // A plain-JavaScript entry that loads the TypeScript store the same way however the
  // application itself was started.
  const worker = new Worker(new URL('./store-thread.entry.mjs', import.meta.url), {
    workerData: options,
    // The store's own flags are its options; the application's (a profiler, say) stay its own.
    execArgv: [],
  });
  return new Promise((resolve, reject) => {
    let closing: Promise<void> | undefined;
    let ready = false;
    let onClosed = () => {};
    const closed = new Promise<void>((done) => (onClosed = done));
    worker.once('exit', () => onClosed());
    worker.on('message', (message: StoreThreadMessage) => {
      if (message.type === 'log') log(message.msg, message.meta);
      else if (message.type === 'closed') onClosed();
      else if (message.type === 'failed') {
        reject(new Error(message.message));
        void worker.terminate();
      } else if (message.type === 'ready') {
        ready = true;
        // The application's own handles keep the process alive, not the database's.
        worker.unref();
        resolve({
          uri: message.uri,
          close() {
            closing ??= (async () => {
              worker.postMessage({ type: 'close' });
              await closed;
              // The journal is flushed and closed: nothing is left to wait for.
              await worker.terminate();
            })();
            return closing;
          },
        });
      }
    });
    let failure: string | undefined;
    worker.on('error', (error) => {
      if (!ready) reject(error);
      else failure = error.message;
    });
    worker.once('exit', (code) => {
      if (!ready)
        reject(new Error(`the embedded store thread exited (code ${code}) before it started`));
      else if (!closing) onLost(failure ?? `the embedded store thread exited (code ${code})`);
    });
  });
}
