/**
 * The realtime message map shared by the server (`new Server<...>()`) and the client
 * (`Socket<...>`). Socket.io only pushes; every command goes over REST. Names are
 * `noun:verb`. Payload types are not validation: incoming payloads are parsed with zod.
 */

/** Pushed by the server. Payloads are filled in by the features that emit them. */
export interface ServerToClientEvents {
  'session:ready': (payload: { userId: string }) => void;
  'handshake:created': (payload: RealtimeHandshakeCreated) => void;
  'contact:updated': (payload: RealtimeContactUpdated) => void;
  'match:cooperation': (payload: RealtimeCooperationMatch) => void;
  'event:stats': (payload: RealtimeEventStats) => void;
}

/** Sent by the client. Rooms are joined server-side only. */
export interface ClientToServerEvents {
  ping: (ack: (payload: { serverTime: string }) => void) => void;
}

export interface RealtimeHandshakeCreated {
  handshakeId: string;
  eventId: string;
  /** The contact the receiving user now holds. */
  contactId: string;
  other: { userId: string; fullName: string; company?: string; title?: string };
  /** True when the receiving user is the one who scanned. */
  initiatedByMe: boolean;
  mutual: boolean;
  createdAt: string;
}

export interface RealtimeContactUpdated {
  contactId: string;
  updatedAt: string;
}

export interface RealtimeCooperationMatch {
  eventId?: string;
  contactId: string;
  other: { userId: string; fullName: string; company?: string };
}

export interface RealtimeEventStats {
  eventId: string;
  handshakes: number;
  activeAttendees: number;
  cooperation: number;
  competition: number;
  at: string;
}
