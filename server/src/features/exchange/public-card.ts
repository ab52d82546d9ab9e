import { Types } from 'mongoose';
import type { PublicCardResponse } from '../../../../shared/exchange';
import { EventModel, MembershipModel } from '../events/events.model';
import { visibleCards } from './exchange.cards';
import { resolveToken, type CodeDeps } from './exchange.codes';
import { codeInvalid } from './exchange.tokens';

export interface PublicCard extends PublicCardResponse {
  /** Whose card it is (for the vCard's UID; never sent by `GET /api/x/:token`). */
  userId: string;
}

/**
 * The visible card behind a valid exchange or badge token, for someone without an
 * account who scanned the QR with a phone camera. Throws 404 `code_invalid` (forged,
 * tampered, rotated, wrong kind, owner gone) or 410 `code_expired`. Short codes are not
 * accepted here: they only mean something inside an event's scanner.
 */
export async function resolvePublicCard(deps: CodeDeps, token: string): Promise<PublicCard> {
  const code = await resolveToken(deps, token, Date.now());
  const [event, membership, cards] = await Promise.all([
    EventModel.findById(new Types.ObjectId(code.eventId), { name: 1, joinCode: 1 }).lean(),
    MembershipModel.exists({
      eventId: new Types.ObjectId(code.eventId),
      userId: new Types.ObjectId(code.userId),
    }),
    visibleCards([code.userId]),
  ]);
  const card = cards.get(code.userId);
  if (!event || !membership || !card) throw codeInvalid();
  return {
    userId: code.userId,
    card,
    // The join code lets the visitor join and exchange back; it is what the event hands out.
    event: { id: String(event._id), name: event.name, joinCode: event.joinCode },
    expiresAt: code.expiresAt ? code.expiresAt.toISOString() : null,
  };
}
