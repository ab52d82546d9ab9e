import type { RealtimeHandshakeCreated } from '../../../../shared/realtime';
import type { RealtimeServer } from '../../realtime/io';
import type { ContactRecord } from '../contacts/contacts.presenter';
import { userRoom } from '../../realtime/rooms';
import type { HandshakeRecord } from './exchange.presenter';

function payloadFor(handshake: HandshakeRecord, contact: ContactRecord): RealtimeHandshakeCreated {
  const ownerId = String(contact.ownerId);
  const { card } = contact;
  return {
    handshakeId: String(handshake._id),
    eventId: String(handshake.eventId),
    contactId: String(contact._id),
    other: {
      userId: String(contact.otherUserId),
      fullName: card.fullName,
      ...(card.company ? { company: card.company } : {}),
      ...(card.title ? { title: card.title } : {}),
    },
    initiatedByMe: String(handshake.initiatorId) === ownerId,
    method: handshake.method,
    mutual: handshake.mutual,
    scanCount: handshake.scanCount,
    createdAt: handshake.createdAt.toISOString(),
  };
}

/** `handshake:created` to both people, each with their own contact; after the writes. */
export function pushHandshake(
  io: RealtimeServer,
  handshake: HandshakeRecord,
  ...contacts: ContactRecord[]
): void {
  for (const contact of contacts) {
    io.to(userRoom(String(contact.ownerId))).emit(
      'handshake:created',
      payloadFor(handshake, contact),
    );
  }
}
