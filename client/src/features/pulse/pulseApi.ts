import type { EventMembershipResponse } from '../../../../shared/events';
import type { EventStatsResponse } from '../../../../shared/stats';
import { apiDownload, apiRequest } from '../../api';

const eventPath = (eventId: string) => `/events/${encodeURIComponent(eventId)}`;

export const pulseApi = {
  event: (eventId: string, signal?: AbortSignal) =>
    apiRequest<EventMembershipResponse>(eventPath(eventId), { signal }),
  stats: (eventId: string, signal?: AbortSignal) =>
    apiRequest<EventStatsResponse>(`${eventPath(eventId)}/stats`, { signal }),
  exportCsv: (eventId: string) =>
    apiDownload(`${eventPath(eventId)}/stats/export?format=csv`, 'event-stats.csv'),
};
