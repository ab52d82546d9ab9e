/**
 * Splits a TCP byte stream into MongoDB wire messages: a message may arrive in pieces, and
 * one chunk may hold several messages.
 */
import { MAX_MESSAGE_BYTES } from '../limits';

export const HEADER_BYTES = 16;

export class FrameError extends Error {}

export class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;

  /** Adds received bytes and returns every complete frame. Throws FrameError on a bad length. */
  push(chunk: Buffer): Buffer[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const frames: Buffer[] = [];
    while (this.buffered >= 4) {
      const length = this.peekLength();
      if (length < HEADER_BYTES || length > MAX_MESSAGE_BYTES) {
        throw new FrameError(`invalid message length ${length}`);
      }
      if (this.buffered < length) break;
      frames.push(this.take(length));
    }
    return frames;
  }

  private peekLength(): number {
    const first = this.chunks[0] as Buffer;
    if (first.length >= 4) return first.readInt32LE(0);
    const joined = Buffer.concat(this.chunks);
    this.chunks = [joined];
    return joined.readInt32LE(0);
  }

  private take(length: number): Buffer {
    const first = this.chunks[0] as Buffer;
    this.buffered -= length;
    if (first.length === length) {
      this.chunks.shift();
      return first;
    }
    if (first.length > length) {
      this.chunks[0] = first.subarray(length);
      return first.subarray(0, length);
    }
    const joined = Buffer.concat(this.chunks);
    const rest = joined.subarray(length);
    this.chunks = rest.length > 0 ? [rest] : [];
    return joined.subarray(0, length);
  }
}
