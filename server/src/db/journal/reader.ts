/**
 * Reads journal and snapshot files back. Reading stops at the first frame that is torn
 * (shorter than its header claims), fails its CRC or does not decode: what follows cannot
 * be trusted, and with synchronous appends only the tail of the last journal can be torn.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import {
  FILE_HEADER_BYTES,
  FRAME_HEADER_BYTES,
  FRAME_MAX_BYTES,
  checksum,
  decodeBody,
  decodeFileHeader,
  type FileKind,
} from './format';
import type { JournalRecord } from './types';

const READ_WINDOW_BYTES = 4 * 1024 * 1024;

/** Sequential reads through a window, so recovery costs few syscalls per megabyte. */
class WindowReader {
  private window = Buffer.alloc(0);
  private windowStart = 0;

  constructor(
    private readonly fd: number,
    readonly size: number,
  ) {}

  /** `length` bytes at `position`, or null when the file ends first. */
  read(position: number, length: number): Buffer | null {
    if (position + length > this.size) return null;
    const offset = position - this.windowStart;
    if (offset >= 0 && offset + length <= this.window.length) {
      return this.window.subarray(offset, offset + length);
    }
    const wanted = Math.min(Math.max(length, READ_WINDOW_BYTES), this.size - position);
    const buffer = Buffer.allocUnsafe(wanted);
    let got = 0;
    while (got < wanted) {
      const n = readSync(this.fd, buffer, got, wanted - got, position + got);
      if (n === 0) break;
      got += n;
    }
    this.window = buffer.subarray(0, got);
    this.windowStart = position;
    return got >= length ? this.window.subarray(0, length) : null;
  }
}

export interface FileScan {
  /** Generation from the header; null when the header itself is missing or damaged. */
  generation: number | null;
  /** Records of every complete unit, in order. */
  records: JournalRecord[];
  /** Offset just past the last complete unit: where appending may resume. */
  validBytes: number;
  size: number;
  /** Why reading stopped before the end of the file, if it did. */
  stoppedBy: 'torn' | 'checksum' | 'decode' | null;
  /** The record count from a snapshot's closing frame (null: none seen). */
  end: number | null;
}

export function scanFile(path: string, kind: FileKind): FileScan {
  const fd = openSync(path, 'r');
  try {
    const reader = new WindowReader(fd, fstatSync(fd).size);
    return scan(reader, kind);
  } finally {
    closeSync(fd);
  }
}

function scan(reader: WindowReader, kind: FileKind): FileScan {
  const result: FileScan = {
    generation: null,
    records: [],
    validBytes: 0,
    size: reader.size,
    stoppedBy: null,
    end: null,
  };
  const header = reader.read(0, FILE_HEADER_BYTES);
  result.generation = header ? decodeFileHeader(kind, header) : null;
  if (result.generation === null) {
    result.stoppedBy = reader.size === 0 ? null : 'torn';
    return result;
  }
  result.validBytes = FILE_HEADER_BYTES;

  let position = FILE_HEADER_BYTES;
  let unit: JournalRecord[] = [];
  while (position < reader.size) {
    const frameHeader = reader.read(position, FRAME_HEADER_BYTES);
    if (!frameHeader) return stop(result, 'torn');
    const length = frameHeader.readUInt32LE(0);
    const crc = frameHeader.readUInt32LE(4);
    if (length < 5 || length > FRAME_MAX_BYTES) return stop(result, 'checksum');
    const body = reader.read(position + FRAME_HEADER_BYTES, length);
    if (!body) return stop(result, 'torn');
    if (checksum(body) !== crc) return stop(result, 'checksum');
    const decoded = decodeBody(body);
    if (!decoded) return stop(result, 'decode');
    position += FRAME_HEADER_BYTES + length;
    for (const record of decoded.records) unit.push(record);
    if (decoded.more) continue;
    for (const record of unit) result.records.push(record);
    unit = [];
    result.validBytes = position;
    if (decoded.end !== null) {
      result.end = decoded.end;
      break;
    }
  }
  // A unit whose closing frame never made it is dropped whole.
  if (unit.length > 0) result.stoppedBy = 'torn';
  return result;
}

function stop(result: FileScan, reason: NonNullable<FileScan['stoppedBy']>): FileScan {
  result.stoppedBy = reason;
  return result;
}
