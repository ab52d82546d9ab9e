/** Runs inside the store thread started by store-thread.ts. */
import { parentPort, workerData } from 'node:worker_threads';
import { startEmbeddedStore } from './embedded';
import type { StoreThreadMessage, StoreThreadOptions } from './store-thread';

const port = parentPort;
if (!port) throw new Error('store-thread.main runs on a worker thread only');
const send = (message: StoreThreadMessage) => port.postMessage(message);

try {
  const store = await startEmbeddedStore({
    ...(workerData as StoreThreadOptions),
    onLog: (msg, meta) => send({ type: 'log', msg, ...(meta ? { meta } : {}) }),
  });
  port.on('message', (message: { type: string }) => {
    if (message.type !== 'close') return;
    void store.close().then(() => {
      send({ type: 'closed' });
      port.close();
    });
  });
  send({ type: 'ready', uri: store.uri });
} catch (error) {
  send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
}
