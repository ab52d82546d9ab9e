import { ForbiddenError, NotFoundError } from '../../errors';
import type { Actor } from '../auth/actor';
import { EventModel, type EventDoc } from '../events/events.model';
import { requireMember } from '../events/events.service';

/**
 * The pulse is for organizers. Non-members get the same 404 `event_not_found` as an
 * unknown event (ids reveal nothing); members who are not organizers already know the
 * event exists, so they get 403 `forbidden`.
 */
export async function requireOrganizer(actor: Actor, eventId: string): Promise<EventDoc> {
  const membership = await requireMember(actor, eventId);
  const event = await EventModel.findById(membership.eventId);
  if (!event) throw new NotFoundError('event_not_found', 'This event does not exist.');
  const organizer =
    membership.role === 'organizer' || event.organizers.some((id) => id.equals(actor.userId));
  if (!organizer) throw new ForbiddenError('forbidden', 'Only the organizers see the pulse.');
  return event;
}
