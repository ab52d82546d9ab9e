import type { ContactDto } from '../../../../shared/contacts';
import { CSV_COLUMNS, TAG_EXPORT_LABELS } from '../../../../shared/exports';
import { stripControl, stripControlKeepLines } from './sanitize';

/** Spreadsheet apps need the byte order mark to read UTF-8 (accents) correctly. */
export const CSV_BOM = '\uFEFF';
const EOL = '\r\n';

/**
 * One RFC 4180 cell. A cell a spreadsheet would run as a formula (starting with
 * `= + - @`, tab or CR) is prefixed with `'` so it stays text.
 */
export function csvCell(value: string | number | boolean | null | undefined): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  if (/[",\r\n]/.test(text)) return `"${text.replace(/"/g, '""')}"`;
  return text;
}

export function csvRow(cells: (string | number | boolean | null | undefined)[]): string {
  return cells.map(csvCell).join(',') + EOL;
}

export function csvHeader(): string {
  return CSV_BOM + csvRow([...CSV_COLUMNS]);
}

/** A contact as one CSV row, columns as in {@link CSV_COLUMNS}. */
export function contactCsvRow(contact: ContactDto, eventNames: Map<string, string>): string {
  const { card } = contact;
  const text = (value: string | undefined) => stripControl(value);
  return csvRow([
    text(card.fullName),
    text(card.title),
    text(card.company),
    text(card.email),
    text(card.phone),
    text(card.website),
    text(card.linkedin),
    TAG_EXPORT_LABELS[contact.tag],
    contact.rating ?? '',
    stripControlKeepLines(contact.note),
    contact.followUp ? (contact.followUp.done ? 'yes' : 'no') : '',
    contact.followUp?.dueAt ?? '',
    contact.eventIds.map((id) => eventNames.get(id) ?? id).join('; '),
    contact.createdAt,
    contact.cooperationMatchedAt ?? '',
    text(card.bio),
    text(card.offering),
    text(card.seeking),
  ]);
}
