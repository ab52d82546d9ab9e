import { CARD_LIMITS } from '../../../../shared/card';

const SIDES = [640, 480, 360, 256];
const QUALITIES = [0.86, 0.78, 0.7, 0.62, 0.54, 0.46, 0.4];

function toBlob(canvas: HTMLCanvasElement, quality: number): Promise<Blob> {
  return new Promise((resolve, reject) => {
    canvas.toBlob(
      (blob) => (blob ? resolve(blob) : reject(new Error('encode_failed'))),
      'image/jpeg',
      quality,
    );
  });
}

function toDataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(new Error('read_failed'));
    reader.readAsDataURL(blob);
  });
}

/**
 * Crops a picked image to a centred square and encodes it as a JPEG data URL of at most
 * 150 KB, on the phone: stepping the quality down, then the size, until it fits. Nothing
 * leaves the device before the person saves, and venue wifi never carries a 5 MB photo.
 */
export async function preparePhoto(file: Blob): Promise<string> {
  const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  try {
    const crop = Math.min(bitmap.width, bitmap.height);
    const sx = (bitmap.width - crop) / 2;
    const sy = (bitmap.height - crop) / 2;
    const canvas = document.createElement('canvas');
    const context = canvas.getContext('2d');
    if (!context) throw new Error('canvas_unavailable');
    for (const side of SIDES) {
      const size = Math.min(side, crop);
      canvas.width = size;
      canvas.height = size;
      // JPEG has no transparency: a white backdrop instead of black for PNGs.
      context.fillStyle = '#ffffff';
      context.fillRect(0, 0, size, size);
      context.imageSmoothingQuality = 'high';
      context.drawImage(bitmap, sx, sy, crop, crop, 0, 0, size, size);
      for (const quality of QUALITIES) {
        const blob = await toBlob(canvas, quality);
        if (blob.size <= CARD_LIMITS.photoBytes) return toDataUrl(blob);
      }
    }
    throw new Error('photo_too_large');
  } finally {
    bitmap.close();
  }
}
