import type { EventDto, MembershipDto, MembershipRole } from '../../../../shared/events';
import type { EventDoc, MembershipDoc } from './events.model';

export function presentEvent(event: EventDoc): EventDto {
  return {
    id: event.id as string,
    name: event.name,
    venue: event.venue ?? '',
    startsAt: event.startsAt.toISOString(),
    endsAt: event.endsAt.toISOString(),
    timezone: event.timezone,
    joinCode: event.joinCode,
    createdAt: (event.createdAt ?? new Date(0)).toISOString(),
  };
}

export function presentMembership(membership: MembershipDoc): MembershipDto {
  return {
    id: membership.id as string,
    eventId: String(membership.eventId),
    userId: String(membership.userId),
    role: membership.role as MembershipRole,
    teamId: membership.teamId ? String(membership.teamId) : null,
    joinedAt: membership.joinedAt.toISOString(),
  };
}
