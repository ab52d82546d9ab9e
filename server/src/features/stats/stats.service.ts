import type { Types } from 'mongoose';
import {
  PULSE_LIMITS,
  type EventStatsDto,
  type PulseTopStartupDto,
} from '../../../../shared/stats';
import type { RealtimeEventStats } from '../../../../shared/realtime';
import type { Actor } from '../auth/actor';
import { ContactModel } from '../contacts/contacts.model';
import { MembershipModel } from '../events/events.model';
import { HandshakeModel } from '../exchange/exchange.model';
import { LeadModel } from '../leads/leads.model';
import { TeamModel } from '../teams/teams.model';
import { buildCompanyNetwork } from './stats.network';
import { requireOrganizer } from './stats.policy';

type Counts = Omit<RealtimeEventStats, 'eventId' | 'at'>;

/**
 * The cheap numbers: counts through indexes, no per-person data leaves this function.
 * Pushed live to organizers.
 */
export async function computeEventCounts(
  eventId: Types.ObjectId,
  now = new Date(),
): Promise<Counts> {
  const since = new Date(now.getTime() - PULSE_LIMITS.activeWindowMinutes * 60_000);
  const [handshakes, recent, members, tags] = await Promise.all([
    HandshakeModel.countDocuments({ eventId }),
    HandshakeModel.find({ eventId, createdAt: { $gte: since } }, { pairKey: 1, _id: 0 }).lean(),
    MembershipModel.countDocuments({ eventId }),
    ContactModel.aggregate<{ _id: string; n: number }>([
      { $match: { eventIds: eventId } },
      { $group: { _id: '$tag', n: { $sum: 1 } } },
    ]),
  ]);
  const active = new Set<string>();
  for (const h of recent) for (const id of h.pairKey.split(':')) active.add(id);
  const byTag = new Map(tags.map((t) => [t._id, t.n]));
  return {
    handshakes,
    activeAttendees: active.size,
    members,
    cooperation: byTag.get('cooperation') ?? 0,
    competition: byTag.get('competition') ?? 0,
    untagged: byTag.get('none') ?? 0,
  };
}

async function topStartups(eventId: Types.ObjectId): Promise<PulseTopStartupDto[]> {
  const rows = await LeadModel.aggregate<{ _id: Types.ObjectId; leads: number }>([
    { $match: { eventIds: eventId } },
    { $group: { _id: '$teamId', leads: { $sum: 1 } } },
    { $sort: { leads: -1, _id: 1 } },
    { $limit: PULSE_LIMITS.topStartups },
  ]);
  if (rows.length === 0) return [];
  const teams = await TeamModel.find({ _id: { $in: rows.map((r) => r._id) } }, { name: 1 }).lean();
  const names = new Map(teams.map((t) => [t._id.toString(), t.name]));
  return rows.flatMap((r) => {
    const name = names.get(r._id.toString());
    return name === undefined ? [] : [{ teamId: r._id.toString(), name, leads: r.leads }];
  });
}

/** Everything the organizer dashboard shows, computed fresh. */
export async function computeEventStats(eventId: Types.ObjectId): Promise<EventStatsDto> {
  const now = new Date();
  const [counts, startups, network] = await Promise.all([
    computeEventCounts(eventId, now),
    topStartups(eventId),
    buildCompanyNetwork(eventId),
  ]);
  return {
    eventId: eventId.toString(),
    ...counts,
    topStartups: startups,
    network,
    generatedAt: now.toISOString(),
  };
}

/** `GET /api/events/:eventId/stats`: organizers only. */
export async function getEventStats(actor: Actor, eventId: string): Promise<EventStatsDto> {
  const event = await requireOrganizer(actor, eventId);
  return computeEventStats(event._id);
}
