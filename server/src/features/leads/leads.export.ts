import { Types } from 'mongoose';
import VCard from 'vcard-creator';
import type { LeadExportQueryInput, LeadFilter } from '../../../../shared/leads';
import type { Actor } from '../auth/actor';
import { EventModel } from '../events/events.model';
import { requireTeamMember } from '../teams/teams.policy';
import { csvDocument } from './leads.csv';
import { LeadModel } from './leads.model';
import { loadNames, type LeadRecord } from './leads.presenter';
import { leadQuery, sortSpec } from './leads.query';

export interface ExportFile {
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

const TAG_LABEL = { cooperation: 'Co-operation', competition: 'Competition', none: '' } as const;

/** CRMs want first and last names; the first word is the given name ("Jean-Pierre de La Tour"). */
export function splitName(fullName: string): { first: string; last: string } {
  const trimmed = fullName.trim();
  const space = trimmed.indexOf(' ');
  if (space < 0) return { first: trimmed, last: '' };
  return { first: trimmed.slice(0, space), last: trimmed.slice(space + 1).trim() };
}

/** Strips anything that could break a vCard line (already refused at input; belt and braces). */
function vcardSafe(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ').trim();
}

function csvExport(leads: LeadRecord[], names: Map<string, string>, events: Map<string, string>) {
  const rows = leads.map((lead) => {
    const { first, last } = splitName(lead.person.fullName);
    const encounters = [...lead.encounters].sort((a, b) => a.at.getTime() - b.at.getTime());
    const metBy = [...new Set(encounters.map((e) => names.get(e.memberId.toString()) ?? ''))];
    const eventNames = [...new Set(encounters.map((e) => events.get(e.eventId.toString()) ?? ''))];
    const notes = lead.notes.map(
      (n) => `${n.text} (${names.get(n.authorId.toString()) ?? ''}, ${n.at.toISOString()})`,
    );
    return [
      first,
      last,
      lead.person.company,
      lead.person.title,
      lead.person.email,
      lead.person.phone,
      lead.person.website,
      TAG_LABEL[lead.tag],
      lead.rating ?? '',
      notes.join('\n'),
      metBy.filter(Boolean).join('; '),
      encounters[0]?.at.toISOString() ?? '',
      eventNames.filter(Boolean).join('; '),
    ];
  });
  return csvDocument(CSV_HEADER, rows);
}

function vcardExport(leads: LeadRecord[]): string {
  return leads
    .map((lead) => {
      const card = new VCard();
      const { first, last } = splitName(vcardSafe(lead.person.fullName));
      // FN first: addName would otherwise derive it from the split name.
      card.addFullName(vcardSafe(lead.person.fullName));
      card.addName({ givenName: first, familyName: last });
      if (lead.person.company) card.addCompany({ name: vcardSafe(lead.person.company) });
      if (lead.person.title) card.addJobtitle(vcardSafe(lead.person.title));
      if (lead.person.email) card.addEmail({ address: vcardSafe(lead.person.email) });
      if (lead.person.phone) card.addPhoneNumber({ number: vcardSafe(lead.person.phone) });
      if (lead.person.website) card.addUrl({ url: vcardSafe(lead.person.website) });
      if (lead.tag !== 'none') card.addCategories([TAG_LABEL[lead.tag]]);
      const note = lead.notes.map((n) => n.text).join('\n');
      if (note) card.addNote(note);
      return card.toString();
    })
    .join('\r\n');
}

/** The selected leads as CSV (one row per lead) or as one multi-contact vCard 3.0 file. */
export async function exportLeads(
  actor: Actor,
  teamId: string,
  query: LeadFilter & { format: LeadExportQueryInput['format'] },
): Promise<ExportFile> {
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
