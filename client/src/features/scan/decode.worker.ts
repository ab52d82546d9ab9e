import jsQR from 'jsqr';

/**
 * The fallback QR decoder, off the main thread so the camera preview and the UI stay
 * smooth on phones without a native BarcodeDetector (iOS Safari, Firefox, desktop Linux).
 */
export interface DecodeRequest {
  id: number;
  width: number;
  height: number;
  /** RGBA pixels, transferred (not copied) from the page. */
  pixels: ArrayBuffer;
}

export interface DecodeResponse {
  id: number;
  text: string | null;
}

/** The worker's global scope, typed by hand: the DOM and WebWorker libs cannot be mixed. */
interface WorkerScope {
  onmessage: ((event: MessageEvent<DecodeRequest>) => void) | null;
  postMessage(message: DecodeResponse): void;
}
const scope = self as unknown as WorkerScope;

scope.onmessage = (event: MessageEvent<DecodeRequest>) => {
  const { id, width, height, pixels } = event.data;
  // Codes on phone screens are dark-on-light; trying the inverse too doubles the work.
  const found = jsQR(new Uint8ClampedArray(pixels), width, height, {
    inversionAttempts: 'dontInvert',
  });
  const reply: DecodeResponse = { id, text: found?.data ?? null };
  scope.postMessage(reply);
};
