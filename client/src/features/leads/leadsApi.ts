import type {
  LeadBulkUpdateInput,
  LeadBulkUpdateResponse,
  LeadFilterInput,
  LeadListQueryInput,
  LeadListResponse,
  LeadResponse,
  LeadUpdateInput,
  TeamLeadStatsResponse,
} from '../../../../shared/leads';
import { apiDownload, apiRequest } from '../../api';

const leadsPath = (teamId: string) => `/teams/${encodeURIComponent(teamId)}/leads`;

/** Query string without empty values: the server refuses unknown or blank parameters. */
export function toQuery(params: Record<string, unknown>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (typeof value === 'string' && value !== '') search.set(key, value);
    else if (typeof value === 'number') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

export const leadsApi = {
  list: (teamId: string, query: LeadListQueryInput, signal?: AbortSignal) =>
    apiRequest<LeadListResponse>(`${leadsPath(teamId)}${toQuery({ ...query })}`, { signal }),
  get: (teamId: string, leadId: string, signal?: AbortSignal) =>
    apiRequest<LeadResponse>(`${leadsPath(teamId)}/${encodeURIComponent(leadId)}`, { signal }),
  update: (teamId: string, leadId: string, input: LeadUpdateInput) =>
    apiRequest<LeadResponse>(`${leadsPath(teamId)}/${encodeURIComponent(leadId)}`, {
      method: 'PATCH',
      body: input,
    }),
  bulk: (teamId: string, input: LeadBulkUpdateInput) =>
    apiRequest<LeadBulkUpdateResponse>(`${leadsPath(teamId)}/bulk`, {
      method: 'POST',
      body: input,
    }),
  stats: (teamId: string, filter: LeadFilterInput, signal?: AbortSignal) =>
    apiRequest<TeamLeadStatsResponse>(`${leadsPath(teamId)}/stats${toQuery({ ...filter })}`, {
      signal,
    }),
  /** CSV for a CRM, or every lead as one .vcf, for the board's current filter. */
  export: (teamId: string, format: 'csv' | 'vcf', filter: LeadFilterInput) =>
    apiDownload(`${leadsPath(teamId)}/export${toQuery({ ...filter, format })}`, `leads.${format}`),
};
