/**
 * The realtime message map shared by the server (`new Server<...>()`) and the client
 * (`Socket<...>`). Socket.io only pushes; every command goes over REST. Names are
 * `noun:verb`. Payload types are not validation: incoming payloads are parsed with zod.
 */

import type { ContactDto } from './contacts';
import type { HandshakeMethod } from './exchange';
import type { StatsSubscribeAck } from './stats';

/** Pushed by the server. Payloads are filled in by the features that emit them. */
export interface ServerToClientEvents {
  'session:ready': (payload: { userId: string }) => void;
  'handshake:created': (payload: RealtimeHandshakeCreated) => void;
  'contact:updated': (payload: RealtimeContactUpdated) => void;
  'match:cooperation': (payload: RealtimeCooperationMatch) => void;
  'event:stats': (payload: RealtimeEventStats) => void;
  'lead:updated': (payload: RealtimeLeadUpdated) => void;
}

/** Sent by the client. Rooms are joined server-side only. */
export interface ClientToServerEvents {
  ping: (ack: (payload: { serverTime: string }) => void) => void;
  /** Organizers only: join the event's live stats (payload checked with StatsSubscribeSchema). */
  'stats:subscribe': (
    payload: { eventId: string },
    ack: (result: StatsSubscribeAck) => void,
  ) => void;
  'stats:unsubscribe': (payload: { eventId: string }) => void;
}

/**
 * Sent to both people after a scan is stored: the first scan, a re-scan and the scan back
 * that makes it mutual (not for a retried clientRef). Each side gets its own contactId.
 */
export interface RealtimeHandshakeCreated {
  handshakeId: string;
  eventId: string;
  /** The contact the receiving user now holds. */
  contactId: string;
  other: { userId: string; fullName: string; company?: string; title?: string };
  /** True when the receiving user is the one who scanned first. */
  initiatedByMe: boolean;
  method: HandshakeMethod;
  mutual: boolean;
  scanCount: number;
  createdAt: string;
}

/**
 * Sent to the owner's other devices after a PATCH. `requestId` echoes the request's
 * `X-Request-Id` header (when sent) so the device that made the change can ignore it.
 */
export interface RealtimeContactUpdated {
  contactId: string;
  updatedAt: string;
  contact: ContactDto;
  requestId?: string;
}

/** Both people tagged each other co-operation; sent once to each, with their own contactId. */
export interface RealtimeCooperationMatch {
  eventId?: string;
  contactId: string;
  other: { userId: string; fullName: string; company?: string };
  matchedAt: string;
}

export interface RealtimeEventStats {
  eventId: string;
  handshakes: number;
  activeAttendees: number;
  cooperation: number;
  competition: number;
  untagged: number;
  /** Everyone who joined the event. */
  members: number;
  at: string;
}

/**
 * Sent to the team's room (`team:<id>`, current members only) after a staff member's scan
 * created one of its leads or added an encounter to one. An invalidation: open boards
 * refetch over REST, which stays the guarantee.
 */
export interface RealtimeLeadUpdated {
  teamId: string;
  leadId: string;
  /** True when the scan created the lead (a new row on the board). */
  created: boolean;
}
