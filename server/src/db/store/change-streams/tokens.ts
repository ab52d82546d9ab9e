/**
 * Resume tokens and cluster times for change streams. A token is `{_data: <hex>}` like
 * MongoDB's, opaque to clients: the store's epoch (tokens do not survive a restart, the
 * history is in memory), the sequence number of the change, and whether it was an
 * invalidate notification (which `resumeAfter` may not resume from).
 */
import { type Document, Timestamp } from 'bson';
import { isPlainObject } from '../engine/values';
import { MongoError } from '../errors';

export interface ResumePoint {
  epoch: string;
  seq: number;
  invalidate: boolean;
}

const TOKEN_PATTERN = /^([0-9a-f]{8})([0-9a-f]{16})(0[01])$/;

export function encodeToken(epoch: string, seq: number, invalidate = false): Document {
  return { _data: `${epoch}${seq.toString(16).padStart(16, '0')}${invalidate ? '01' : '00'}` };
}

/** Reads a token a client sent back; anything else is refused as MongoDB refuses it. */
export function decodeToken(token: unknown, option: string): ResumePoint {
  const data = isPlainObject(token) ? token._data : undefined;
  const match = typeof data === 'string' ? TOKEN_PATTERN.exec(data) : null;
  if (!match) {
    throw new MongoError('BadValue', `${option} does not hold a valid resume token`);
  }
  return {
    epoch: match[1] as string,
    seq: Number.parseInt(match[2] as string, 16),
    invalidate: match[3] === '01',
  };
}

/** Orders two cluster times (seconds, then increment). */
export function compareTimestamps(a: Timestamp, b: Timestamp): number {
  return a.t - b.t || a.i - b.i;
}

export function isTimestamp(value: unknown): value is Timestamp {
  return value instanceof Timestamp;
}

/** Hands out strictly increasing cluster times: seconds since the epoch, then a counter. */
export class ClusterClock {
  private t = 0;
  private i = 0;

  tick(now: number): Timestamp {
    const seconds = Math.floor(now / 1000);
    if (seconds > this.t) {
      this.t = seconds;
      this.i = 1;
    } else {
      this.i++;
    }
    return new Timestamp({ t: this.t, i: this.i });
  }

  /** The latest time handed out, without consuming one. */
  peek(now: number): Timestamp {
    const seconds = Math.floor(now / 1000);
    return seconds > this.t
      ? new Timestamp({ t: seconds, i: 0 })
      : new Timestamp({ t: this.t, i: this.i });
  }
}
