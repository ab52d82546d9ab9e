import type { DecodeRequest, DecodeResponse } from './decode.worker';

/** Reads a QR code from the current video frame; null when there is none. */
export interface QrDetector {
  kind: 'native' | 'worker';
  detect(video: HTMLVideoElement): Promise<string | null>;
  close(): void;
}

interface NativeBarcode {
  rawValue: string;
}
interface NativeBarcodeDetector {
  detect(source: CanvasImageSource): Promise<NativeBarcode[]>;
}
interface NativeBarcodeDetectorClass {
  new (options: { formats: string[] }): NativeBarcodeDetector;
  getSupportedFormats(): Promise<string[]>;
}

/** Frames are scaled down to this many pixels on the long side: plenty for a phone-held QR. */
const MAX_FRAME_SIDE = 720;

async function nativeDetector(): Promise<QrDetector | null> {
  const ctor = (window as unknown as { BarcodeDetector?: NativeBarcodeDetectorClass })
    .BarcodeDetector;
  if (!ctor) return null;
  try {
    const formats = await ctor.getSupportedFormats();
    if (!formats.includes('qr_code')) return null;
  } catch {
    return null;
  }
  const detector = new ctor({ formats: ['qr_code'] });
  return {
    kind: 'native',
    async detect(video) {
      const found = await detector.detect(video);
      return found[0]?.rawValue ?? null;
    },
    close() {},
  };
}

function workerDetector(): QrDetector {
  const worker = new Worker(new URL('./decode.worker.ts', import.meta.url), { type: 'module' });
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true });
  const waiting = new Map<number, (text: string | null) => void>();
  let nextId = 1;
  worker.onmessage = (event: MessageEvent<DecodeResponse>) => {
    const resolve = waiting.get(event.data.id);
    waiting.delete(event.data.id);
    resolve?.(event.data.text);
  };
  return {
    kind: 'worker',
    detect(video) {
      const { videoWidth, videoHeight } = video;
      if (!context || videoWidth === 0 || videoHeight === 0) return Promise.resolve(null);
      const scale = Math.min(1, MAX_FRAME_SIDE / Math.max(videoWidth, videoHeight));
      const width = Math.round(videoWidth * scale);
      const height = Math.round(videoHeight * scale);
      if (canvas.width !== width) canvas.width = width;
      if (canvas.height !== height) canvas.height = height;
      context.drawImage(video, 0, 0, width, height);
      const pixels = context.getImageData(0, 0, width, height).data.buffer;
      const id = nextId++;
      const request: DecodeRequest = { id, width, height, pixels };
      return new Promise((resolve) => {
        waiting.set(id, resolve);
        worker.postMessage(request, [pixels]);
      });
    },
    close() {
      worker.terminate();
      for (const resolve of waiting.values()) resolve(null);
      waiting.clear();
    },
  };
}

/** The native detector where the browser has one, else the jsQR worker (loaded now, lazily). */
export async function createDetector(): Promise<QrDetector> {
  return (await nativeDetector()) ?? workerDetector();
}
