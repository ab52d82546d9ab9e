import type { UserDto } from './auth';
import type { CardDto } from './card';
import type { ContactDto } from './contacts';
import type { EventDto, MembershipDto } from './events';
import type { HandshakeDto } from './exchange';

/**
 * `GET /api/me/export`: everything the service holds about me, as one JSON file.
 *
 * `DELETE /api/me` with `{ password }` (see `DeleteAccountSchema` in ./auth) deletes the
 * account, its card, sessions, memberships, badges and the contacts I hold. Handshakes I
 * took part in stay in the other person's log, with my user id replaced by a random
 * tombstone id that points at nobody. Cards other people already received stay with them
 * as they were handed over (like a paper business card), also under the tombstone id.
 */
export interface MyDataExport {
  exportedAt: string;
  user: UserDto;
  card: CardDto | null;
  memberships: MembershipDto[];
  /** Events I belong to (any role). */
  events: EventDto[];
  /** Events I organise. */
  eventsOrganized: EventDto[];
  /** The contacts I hold, with my tags, ratings, notes and follow-ups. */
  contacts: ContactDto[];
  /** Handshakes I took part in, from my side. */
  handshakes: HandshakeDto[];
  teams: { id: string; name: string; role: string; joinedAt: string }[];
  /** Signed-in devices (refresh sessions); tokens themselves are never stored. */
  sessions: { createdAt: string; expiresAt: string; userAgent: string; active: boolean }[];
}
