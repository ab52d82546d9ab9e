import type {
  ContactDto,
  ContactListResponse,
  ContactResponse,
  ContactTagFilter,
  ContactUpdateInput,
} from '../../../../shared/contacts';
import { apiDownload, apiRequest } from '../../api';

export interface ContactQuery {
  tag?: ContactTagFilter;
  q?: string;
  eventId?: string;
}

function queryString(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

export function listContacts(
  query: ContactQuery & { cursor?: string; limit?: number },
  signal?: AbortSignal,
): Promise<ContactListResponse> {
  return apiRequest<ContactListResponse>(`/contacts${queryString({ ...query })}`, { signal });
}

export async function getContact(id: string): Promise<ContactDto> {
  const { contact } = await apiRequest<ContactResponse>(`/contacts/${encodeURIComponent(id)}`);
  return contact;
}

export async function updateContact(id: string, update: ContactUpdateInput): Promise<ContactDto> {
  const { contact } = await apiRequest<ContactResponse>(`/contacts/${encodeURIComponent(id)}`, {
    method: 'PATCH',
    body: update,
  });
  return contact;
}

/** Saves one contact as a .vcf the phone's contacts app can import. */
export function downloadContactVcard(contact: ContactDto): Promise<void> {
  const base = contact.card.fullName.replace(/[\\/:*?"<>|]+/g, ' ').trim() || 'contact';
  return apiDownload(`/contacts/${encodeURIComponent(contact.id)}/vcard`, `${base}.vcf`);
}

/** Exports all contacts matching the query (or all of them) as vCard or CSV. */
export function exportContacts(format: 'vcf' | 'csv', query: ContactQuery): Promise<void> {
  return apiDownload(
    `/contacts/export${queryString({ format, ...query })}`,
    `coopetition-contacts.${format}`,
  );
}
