import type { Types } from 'mongoose';
import type { HandshakeDto, HandshakeMethod } from '../../../../shared/exchange';

/** A handshake as stored (lean). */
export interface HandshakeRecord {
  _id: Types.ObjectId;
  eventId: Types.ObjectId;
  pairKey: string;
  userIds: Types.ObjectId[];
  initiatorId: Types.ObjectId;
  otherId: Types.ObjectId;
  method: HandshakeMethod;
  scannedAt: Date;
  receivedAt: Date;
  scanCount: number;
  mutual: boolean;
  clientRefs: string[];
  createdAt: Date;
  updatedAt: Date;
}

/** The handshake from `viewerId`'s side. Client references stay on the server. */
export function presentHandshake(handshake: HandshakeRecord, viewerId: string): HandshakeDto {
  const initiatedByMe = String(handshake.initiatorId) === viewerId;
  return {
    id: String(handshake._id),
    eventId: String(handshake.eventId),
    otherUserId: String(initiatedByMe ? handshake.otherId : handshake.initiatorId),
    initiatedByMe,
    method: handshake.method,
    scannedAt: handshake.scannedAt.toISOString(),
    receivedAt: handshake.receivedAt.toISOString(),
    scanCount: handshake.scanCount,
    mutual: handshake.mutual,
    createdAt: handshake.createdAt.toISOString(),
    updatedAt: handshake.updatedAt.toISOString(),
  };
}
