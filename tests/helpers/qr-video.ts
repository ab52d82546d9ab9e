import { closeSync, openSync, writeSync } from 'node:fs';
import { encodeQr, QUIET_ZONE } from '../../client/src/features/mycode/qr';

/**
 * Writes a YUV4MPEG2 (4:2:0) video that Chromium plays as a fake camera
 * (`--use-file-for-fake-video-capture`): blank frames, then a QR code drawn with the same
 * encoder the app uses, scaled to whole pixels per module, quiet zone included, centred.
 * Chromium loops the file; the blank lead-in gives the page time to start scanning.
 */
export interface QrVideoOptions {
  text: string;
  file: string;
  width?: number;
  height?: number;
  fps?: number;
  blankSeconds?: number;
  qrSeconds?: number;
}

export interface QrVideo {
  file: string;
  fps: number;
  blankFrames: number;
  qrFrames: number;
  /** Seconds from the start of the file to the first QR frame. */
  qrStartsAt: number;
}

export function writeQrVideo(options: QrVideoOptions): QrVideo {
  const {
    text,
    file,
    width = 640,
    height = 480,
    fps = 15,
    blankSeconds = 3,
    qrSeconds = 7,
  } = options;
  const matrix = encodeQr(text);
  const modules = matrix.size + QUIET_ZONE * 2;
  const scale = Math.floor((Math.min(width, height) * 0.8) / modules);
  if (scale < 2) throw new Error(`QR too dense for ${width}x${height}: ${modules} modules`);
  const side = modules * scale;
  const left = Math.floor((width - side) / 2);
  const top = Math.floor((height - side) / 2);

  // A dim, slightly textured room so "blank" is not one flat colour.
  const blankLuma = Buffer.alloc(width * height);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1)
      blankLuma[y * width + x] = 90 + (((x >> 5) + (y >> 5)) % 2) * 12;
  }
  const qrLuma = Buffer.from(blankLuma);
  for (let y = 0; y < side; y += 1) {
    const row = Math.floor(y / scale) - QUIET_ZONE;
    for (let x = 0; x < side; x += 1) {
      const col = Math.floor(x / scale) - QUIET_ZONE;
      const inside = row >= 0 && col >= 0 && row < matrix.size && col < matrix.size;
      const dark = inside && matrix.isDark(row, col);
      qrLuma[(top + y) * width + left + x] = dark ? 20 : 240;
    }
  }
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128);
  const frameHeader = Buffer.from('FRAME\n');
  const blankFrames = Math.round(blankSeconds * fps);
  const qrFrames = Math.round(qrSeconds * fps);

  const fd = openSync(file, 'w');
  try {
    writeSync(fd, `YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420jpeg\n`);
    for (let i = 0; i < blankFrames + qrFrames; i += 1) {
      writeSync(fd, frameHeader);
      writeSync(fd, i < blankFrames ? blankLuma : qrLuma);
      writeSync(fd, chroma);
    }
  } finally {
    closeSync(fd);
  }
  return { file, fps, blankFrames, qrFrames, qrStartsAt: blankFrames / fps };
}
