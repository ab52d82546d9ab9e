import { Types } from 'mongoose';
import type { z } from 'zod';
import {
  LEAD_LIMITS,
  type LeadBulkUpdateSchema,
  type LeadListQuery,
  type LeadUpdateSchema,
} from '../../../../shared/leads';
import { AppError, ConflictError, NotFoundError } from '../../errors';
import type { Actor } from '../auth/actor';
import { memberOf, requireTeamMember, toObjectId } from '../teams/teams.policy';
import type { TeamDoc } from '../teams/teams.model';
import { LeadModel } from './leads.model';
import { loadNames, presentLeadSummary, summaryNameIds, type LeadRecord } from './leads.presenter';
import { cursorQuery, encodeCursor, leadQuery, sortSpec } from './leads.query';

export const leadNotFound = () => new NotFoundError('lead_not_found', 'Lead not found.');

/** The board never loads encounters or notes: counts are kept beside them. */
const SUMMARY_PROJECTION = { encounters: 0, notes: 0, searchText: 0 } as const;

export async function listLeads(actor: Actor, teamId: string, input: LeadListQuery) {
  const team = await requireTeamMember(actor, teamId);
  const query = leadQuery(team._id, input);
  if (input.cursor) {
    const and = (query.$and as Record<string, unknown>[] | undefined) ?? [];
    query.$and = [...and, cursorQuery(input.sort, input.cursor)];
  }
  const docs = await LeadModel.find(query, SUMMARY_PROJECTION)
    .sort(sortSpec(input.sort))
    .limit(input.limit + 1)
    .lean<LeadRecord[]>();
  const page = docs.slice(0, input.limit);
  const last = page[page.length - 1];
  const names = await loadNames(page.flatMap(summaryNameIds));
  return {
    items: page.map((lead) => presentLeadSummary(lead, names)),
    nextCursor:
      docs.length > input.limit && last
        ? encodeCursor(input.sort, last as unknown as Record<string, unknown>)
        : null,
  };
}

/** A lead of the team; another team's lead answers the same 404 as an unknown id. */
export async function getLead(actor: Actor, teamId: string, leadId: string): Promise<LeadRecord> {
  const team = await requireTeamMember(actor, teamId);
  const id = toObjectId(leadId);
  if (!id) throw leadNotFound();
  const lead = await LeadModel.findOne({ _id: id, teamId: team._id }).lean<LeadRecord>();
  if (!lead) throw leadNotFound();
  return lead;
}

function requireAssignable(team: TeamDoc, assigneeId: string | null | undefined): void {
  if (!assigneeId || memberOf(team, assigneeId)) return;
  throw new AppError(400, 'assignee_not_member', 'Assign leads to a member of the team.');
}

/** Tag, rate, assign, mark followed up, and/or append a team note. */
export async function updateLead(
  actor: Actor,
  teamId: string,
  leadId: string,
  input: z.output<typeof LeadUpdateSchema>,
): Promise<LeadRecord> {
  const team = await requireTeamMember(actor, teamId);
  const id = toObjectId(leadId);
  if (!id) throw leadNotFound();
  requireAssignable(team, input.assigneeId);
  const set: Record<string, unknown> = {};
  if (input.tag !== undefined) set.tag = input.tag;
  if (input.rating !== undefined) set.rating = input.rating;
  if (input.followedUp !== undefined) set.followedUp = input.followedUp;
  if (input.assigneeId !== undefined) {
    set.assigneeId = input.assigneeId ? new Types.ObjectId(input.assigneeId) : null;
  }
  const filter: Record<string, unknown> = { _id: id, teamId: team._id };
  const update: Record<string, unknown> = { $set: set };
  if (input.note !== undefined) {
    filter[`notes.${LEAD_LIMITS.notesMax - 1}`] = { $exists: false };
    update.$push = {
      notes: { authorId: new Types.ObjectId(actor.userId), text: input.note, at: new Date() },
    };
    update.$inc = { noteCount: 1 };
  }
  const lead = await LeadModel.findOneAndUpdate(filter, update, {
    returnDocument: 'after',
  }).lean<LeadRecord>();
  if (lead) return lead;
  if (input.note !== undefined && (await LeadModel.exists({ _id: id, teamId: team._id }))) {
    throw new ConflictError('notes_full', `A lead keeps at most ${LEAD_LIMITS.notesMax} notes.`);
  }
  throw leadNotFound();
}

/**
 * One change for many leads of the team. All or nothing: if any id is not a lead of
 * this team the request is refused before anything is written.
 */
export async function bulkUpdateLeads(
  actor: Actor,
  teamId: string,
  input: z.output<typeof LeadBulkUpdateSchema>,
): Promise<number> {
  const team = await requireTeamMember(actor, teamId);
  requireAssignable(team, input.assigneeId);
  const ids = [...new Set(input.leadIds)].map((id) => new Types.ObjectId(id));
  const owned = await LeadModel.countDocuments({ _id: { $in: ids }, teamId: team._id });
  if (owned !== ids.length) throw leadNotFound();
  const set: Record<string, unknown> = {};
  if (input.tag !== undefined) set.tag = input.tag;
  if (input.followedUp !== undefined) set.followedUp = input.followedUp;
  if (input.assigneeId !== undefined) {
    set.assigneeId = input.assigneeId ? new Types.ObjectId(input.assigneeId) : null;
  }
  const result = await LeadModel.updateMany({ _id: { $in: ids }, teamId: team._id }, { $set: set });
  return result.matchedCount;
}
