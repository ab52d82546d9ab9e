import { Types } from 'mongoose';
import type { LeadFilter, LeadTag, TeamLeadStatsDto } from '../../../../shared/leads';
import type { Actor } from '../auth/actor';
import { EventModel } from '../events/events.model';
import { requireTeamMember } from '../teams/teams.policy';
import { LeadModel } from './leads.model';
import { loadNames } from './leads.presenter';
import { encounterMatcher, leadQuery } from './leads.query';

const HOUR_MS = 3_600_000;
/** Beyond this many hours the chart keeps only hours that had encounters. */
const MAX_FILLED_HOURS = 24 * 62;

interface StatsLead {
  tag: LeadTag;
  followedUp: boolean;
  assigneeId: Types.ObjectId | null;
  encounters: { memberId: Types.ObjectId; eventId: Types.ObjectId; at: Date }[];
}

/** "2026-12-01T18:00" in the zone: the local hour an instant falls in. */
function hourFormatter(timeZone: string): (at: number) => string {
  const format = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    hourCycle: 'h23',
  });
  // Offsets are whole quarter hours, so one answer per quarter hour is exact.
  const cache = new Map<number, string>();
  return (at) => {
    const slot = Math.floor(at / 900_000);
    let key = cache.get(slot);
    if (key === undefined) {
      const parts = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
      key = `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:00`;
      cache.set(slot, key);
    }
    return key;
  };
}

function hourBuckets(times: number[], timeZone: string): TeamLeadStatsDto['byHour'] {
  if (times.length === 0) return [];
  const hourOf = hourFormatter(timeZone);
  const counts = new Map<string, number>();
  let min = Infinity;
  let max = -Infinity;
  for (const at of times) {
    const key = hourOf(at);
    counts.set(key, (counts.get(key) ?? 0) + 1);
    min = Math.min(min, at);
    max = Math.max(max, at);
  }
  if ((max - min) / HOUR_MS <= MAX_FILLED_HOURS) {
    for (let at = min; at <= max + HOUR_MS; at += HOUR_MS) {
      const key = hourOf(Math.min(at, max));
      if (!counts.has(key)) counts.set(key, 0);
    }
  }
  return [...counts.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([hour, encounters]) => ({ hour, encounters }));
}

/**
 * Leads by tag, by staff member and by hour, and follow-up progress, for the leads the
 * board's filters select. Only encounters that match the filters count per member/hour.
 */
export async function teamLeadStats(
  actor: Actor,
  teamId: string,
  filter: LeadFilter,
): Promise<TeamLeadStatsDto> {
  const team = await requireTeamMember(actor, teamId);
  const leads = await LeadModel.find(leadQuery(team._id, filter), {
    tag: 1,
    followedUp: 1,
    assigneeId: 1,
    encounters: 1,
    _id: 0,
  }).lean<StatsLead[]>();
  const event = filter.eventId
    ? await EventModel.findById(new Types.ObjectId(filter.eventId), { timezone: 1 }).lean()
    : null;
  const timezone = event?.timezone ?? 'UTC';
  const matches = encounterMatcher(filter);

  const byTag: Record<LeadTag, number> = { cooperation: 0, competition: 0, none: 0 };
  const followUp = { followedUp: 0, pending: 0, assigned: 0 };
  const perMember = new Map<string, { id: Types.ObjectId; leads: number; encounters: number }>();
  const times: number[] = [];
  for (const lead of leads) {
    byTag[lead.tag] += 1;
    if (lead.followedUp) followUp.followedUp += 1;
    else followUp.pending += 1;
    if (lead.assigneeId) followUp.assigned += 1;
    const seen = new Set<string>();
    for (const encounter of lead.encounters) {
      if (!matches(encounter)) continue;
      times.push(encounter.at.getTime());
      const key = encounter.memberId.toString();
      let row = perMember.get(key);
      if (!row) perMember.set(key, (row = { id: encounter.memberId, leads: 0, encounters: 0 }));
      row.encounters += 1;
      if (!seen.has(key)) {
        row.leads += 1;
        seen.add(key);
      }
    }
  }
  const names = await loadNames([...perMember.values()].map((r) => r.id));
  const byMember = [...perMember.entries()]
    .map(([userId, row]) => ({
      userId,
      name: names.get(userId) ?? '',
      leads: row.leads,
      encounters: row.encounters,
    }))
    .sort((a, b) => b.leads - a.leads || a.name.localeCompare(b.name));
  return {
    total: leads.length,
    byTag,
    byMember,
    byHour: hourBuckets(times, timezone),
    timezone,
    followUp,
  };
}
