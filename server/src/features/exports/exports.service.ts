import type { z } from 'zod';
import type { ContactDto } from '../../../../shared/contacts';
import type { ContactExportQuerySchema } from '../../../../shared/exports';
import type { Actor } from '../auth/actor';
import { getContact, iterateContacts } from '../contacts/contacts.service';
import { listMyEvents } from '../events/events.service';
import { resolvePublicCard } from '../exchange/public-card';
import type { CodeDeps } from '../exchange/exchange.codes';
import { contactCsvRow, csvHeader } from './csv';
import { cardToVCard } from './vcard';

export type ContactExportQuery = z.output<typeof ContactExportQuerySchema>;

export const VCARD_TYPE = 'text/vcard; charset=utf-8';
export const CSV_TYPE = 'text/csv; charset=utf-8';

export interface ExportFile {
  filename: string;
  contentType: string;
  /** Written in order; produced lazily from a database cursor. */
  chunks: AsyncIterable<string>;
}

/** Rows are grouped into chunks of about this many characters before being written. */
const CHUNK_CHARS = 64 * 1024;

async function* batched(parts: AsyncIterable<string>): AsyncGenerator<string> {
  let buffer = '';
  for await (const part of parts) {
    buffer += part;
    if (buffer.length >= CHUNK_CHARS) {
      yield buffer;
      buffer = '';
    }
  }
  if (buffer) yield buffer;
}

async function* once(value: string): AsyncGenerator<string> {
  yield value;
}

/** The contact's vCard: their card as received, my tag as CATEGORIES, my note as NOTE. */
export function contactVCard(contact: ContactDto): string {
  return cardToVCard(contact.card, {
    uid: `coopetition-${contact.otherUserId}`,
    tag: contact.tag,
    note: contact.note,
  });
}

/** `GET /api/contacts/:contactId/vcard`: 404 `contact_not_found` for anyone else's. */
export async function exportContactVCard(actor: Actor, contactId: string): Promise<ExportFile> {
  const contact = await getContact(actor, contactId);
  return {
    filename: `${contact.card.fullName || 'contact'}.vcf`,
    contentType: VCARD_TYPE,
    chunks: once(contactVCard(contact)),
  };
}

/** All of my contacts matching the filter, streamed as one .vcf or .csv file. */
export async function exportContacts(actor: Actor, query: ContactExportQuery): Promise<ExportFile> {
  const filter = { eventId: query.eventId, tag: query.tag, q: query.q || undefined };
  const date = new Date().toISOString().slice(0, 10);
  if (query.format === 'vcf') {
    return {
      filename: `coopetition-contacts-${date}.vcf`,
      contentType: VCARD_TYPE,
      chunks: batched(
        (async function* () {
          for await (const contact of iterateContacts(actor, filter)) yield contactVCard(contact);
        })(),
      ),
    };
  }
  // Contacts name events by id; the events I belong to give their names.
  const eventNames = new Map(
    (await listMyEvents(actor)).map(({ event }) => [event.id as string, event.name]),
  );
  return {
    filename: `coopetition-contacts-${date}.csv`,
    contentType: CSV_TYPE,
    chunks: batched(
      (async function* () {
        yield csvHeader();
        for await (const contact of iterateContacts(actor, filter)) {
          yield contactCsvRow(contact, eventNames);
        }
      })(),
    ),
  };
}

/** `GET /api/x/:token/vcard`: the visible card behind a valid code, for anyone. */
export async function exportPublicVCard(deps: CodeDeps, token: string): Promise<ExportFile> {
  const { card, userId } = await resolvePublicCard(deps, token);
  return {
    filename: `${card.fullName || 'contact'}.vcf`,
    contentType: VCARD_TYPE,
    chunks: once(cardToVCard(card, { uid: `coopetition-${userId}` })),
  };
}
