import { Types } from 'mongoose';
import { TAG_EXPORT_LABELS } from '../../../../shared/exports';
import type { LeadExportQueryInput, LeadFilter } from '../../../../shared/leads';
import type { Actor } from '../auth/actor';
import { EventModel } from '../events/events.model';
import { requireTeamMember } from '../teams/teams.policy';
import { CSV_BOM, csvRow } from '../exports/csv';
import { stripControl, stripControlKeepLines } from '../exports/sanitize';
import { cardToVCard, splitName } from '../exports/vcard';
import { LeadModel } from './leads.model';
import { loadNames, type LeadRecord } from './leads.presenter';
import { leadQuery, sortSpec } from './leads.query';

export interface LeadExportFile {
  contentType: string;
  filename: string;
  body: string;
}

const CSV_HEADER = [
  'First name',
  'Last name',
  'Company',
  'Title',
  'Email',
  'Phone',
  'Website',
  'Tag',
  'Rating',
  'Team note',
  'Met by',
  'Met at',
  'Event',
];

/** One row per lead, through the contact exports' cell rules (formula-neutralised, no controls). */
function csvExport(leads: LeadRecord[], names: Map<string, string>, events: Map<string, string>) {
  const rows = leads.map((lead) => {
    const { givenName, familyName } = splitName(stripControl(lead.person.fullName));
    const encounters = [...lead.encounters].sort((a, b) => a.at.getTime() - b.at.getTime());
    const metBy = [...new Set(encounters.map((e) => names.get(e.memberId.toString()) ?? ''))];
    const eventNames = [...new Set(encounters.map((e) => events.get(e.eventId.toString()) ?? ''))];
    const notes = lead.notes.map(
      (n) =>
        `${stripControlKeepLines(n.text)} (${names.get(n.authorId.toString()) ?? ''}, ${n.at.toISOString()})`,
    );
    return csvRow([
      givenName,
      familyName,
      stripControl(lead.person.company),
      stripControl(lead.person.title),
      stripControl(lead.person.email),
      stripControl(lead.person.phone),
      stripControl(lead.person.website),
      TAG_EXPORT_LABELS[lead.tag],
      lead.rating ?? '',
      notes.join('\n'),
      metBy.filter(Boolean).join('; '),
      encounters[0]?.at.toISOString() ?? '',
      eventNames.filter(Boolean).join('; '),
    ]);
  });
  return CSV_BOM + csvRow(CSV_HEADER) + rows.join('');
}

/** One vCard per lead through the contact exports' formatter: same escaping, team tag and notes. */
function vcardExport(leads: LeadRecord[]): string {
  return leads
    .map((lead) =>
      cardToVCard(
        { ...lead.person },
        {
          uid: `coopetition-${lead.personId.toString()}`,
          tag: lead.tag,
          note: lead.notes.map((n) => n.text).join('\n\n'),
        },
      ),
    )
    .join('');
}

/** The selected leads as CSV (one row per lead) or as one multi-contact vCard 3.0 file. */
export async function exportLeads(
  actor: Actor,
  teamId: string,
  query: LeadFilter & { format: LeadExportQueryInput['format'] },
): Promise<LeadExportFile> {
  const team = await requireTeamMember(actor, teamId);
  const { format, ...filter } = query;
  const leads = await LeadModel.find(leadQuery(team._id, filter))
    .sort(sortSpec('name'))
    .lean<LeadRecord[]>();
  const stamp = new Date().toISOString().slice(0, 10);
  if (format === 'vcf') {
    return {
      contentType: 'text/vcard; charset=utf-8',
      filename: `leads-${stamp}.vcf`,
      body: vcardExport(leads),
    };
  }
  const names = await loadNames(
    leads.flatMap((l) => [
      ...l.encounters.map((e) => e.memberId),
      ...l.notes.map((n) => n.authorId),
    ]),
  );
  const eventIds = new Set(leads.flatMap((l) => l.eventIds.map(String)));
  const events = await EventModel.find(
    { _id: { $in: [...eventIds].map((id) => new Types.ObjectId(id)) } },
    { name: 1 },
  ).lean();
  return {
    contentType: 'text/csv; charset=utf-8',
    filename: `leads-${stamp}.csv`,
    body: csvExport(leads, names, new Map(events.map((e) => [e._id.toString(), e.name]))),
  };
}
