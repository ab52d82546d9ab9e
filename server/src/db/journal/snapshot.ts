import { FILE_HEADER_BYTES, FRAME_TARGET_BYTES, FrameBuilder, encodeFileHeader } from './format';
import { writeAll } from './files';
import type { JournalRecord } from './types';

/**
 * Writes the state a frame (a few MB) at a time, yielding to the event loop between
 * frames; returns the file size. The records may be written after the engine moved on:
 * documents are post-images that are never mutated, and later changes are in the new
 * journal anyway.
 */
export async function writeSnapshot(
  fd: number,
  generation: number,
  records: JournalRecord[],
): Promise<number> {
  writeAll(fd, encodeFileHeader('snapshot', generation), 0);
  let position = FILE_HEADER_BYTES;
  const builder = new FrameBuilder(FRAME_TARGET_BYTES + 64 * 1024);
  const flush = (end: number | null): void => {
    const frame = builder.finish(false, end);
    writeAll(fd, frame, position);
    position += frame.length;
  };
  for (const record of records) {
    if (!builder.tryAdd(record)) {
      flush(null);
      builder.tryAdd(record);
    }
    if (builder.bytes >= FRAME_TARGET_BYTES) {
      flush(null);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  flush(records.length);
  return position;
}
