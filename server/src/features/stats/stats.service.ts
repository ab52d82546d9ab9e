import type { Types } from 'mongoose';
import {
  PULSE_LIMITS,
  type EventStatsDto,
  type PulseTopStartupDto,
} from '../../../../shared/stats';
import type { RealtimeEventStats } from '../../../../shared/realtime';
import type { Actor } from '../auth/actor';
import { MembershipModel } from '../events/events.model';
import { TeamModel } from '../teams/teams.model';
import { EventAttendeeStatsModel, EventStatsModel, EventTeamStatsModel } from './stats.model';
import { buildCompanyNetwork } from './stats.network';
import { flushHandshakeStats } from './stats.record';
import { requireOrganizer } from './stats.policy';

type Counts = Omit<RealtimeEventStats, 'eventId' | 'at'>;

/**
 * The cheap numbers, read from the event's aggregate documents (kept by stats.record as
 * handshakes and tags are written) plus two indexed counts. No per-person data leaves
 * this function. Pushed live to organizers.
 */
export async function computeEventCounts(
  eventId: Types.ObjectId,
  now = new Date(),
): Promise<Counts> {
  const since = new Date(now.getTime() - PULSE_LIMITS.activeWindowMinutes * 60_000);
  await flushHandshakeStats();
  const [totals, activeAttendees, members] = await Promise.all([
    EventStatsModel.findOne({ eventId }).lean(),
    EventAttendeeStatsModel.countDocuments({ eventId, lastActiveAt: { $gte: since } }),
    MembershipModel.countDocuments({ eventId }),
  ]);
  return {
    handshakes: totals?.handshakes ?? 0,
    activeAttendees,
    members,
    cooperation: totals?.cooperation ?? 0,
    competition: totals?.competition ?? 0,
    untagged: totals?.untagged ?? 0,
  };
}

async function topStartups(eventId: Types.ObjectId): Promise<PulseTopStartupDto[]> {
  const rows = await EventTeamStatsModel.find(
    { eventId, leads: { $gt: 0 } },
    { teamId: 1, leads: 1, _id: 0 },
  )
    .sort({ leads: -1, teamId: 1 })
    .limit(PULSE_LIMITS.topStartups)
    .lean();
  if (rows.length === 0) return [];
  const teams = await TeamModel.find(
    { _id: { $in: rows.map((r) => r.teamId) } },
    { name: 1 },
  ).lean();
  const names = new Map(teams.map((t) => [t._id.toString(), t.name]));
  return rows.flatMap((r) => {
    const name = names.get(r.teamId.toString());
    return name === undefined ? [] : [{ teamId: r.teamId.toString(), name, leads: r.leads }];
  });
}

/** Everything the organizer dashboard shows, from the event's aggregates. */
export async function computeEventStats(eventId: Types.ObjectId): Promise<EventStatsDto> {
  const now = new Date();
  await flushHandshakeStats();
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
