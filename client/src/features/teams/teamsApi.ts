import type {
  MyTeamsResponse,
  TeamCreateInput,
  TeamInviteResponse,
  TeamJoinInput,
  TeamResponse,
} from '../../../../shared/teams';
import { apiRequest } from '../../api';

const teamPath = (teamId: string) => `/teams/${encodeURIComponent(teamId)}`;

export const teamsApi = {
  mine: (signal?: AbortSignal) => apiRequest<MyTeamsResponse>('/teams', { signal }),
  get: (teamId: string, signal?: AbortSignal) =>
    apiRequest<TeamResponse>(teamPath(teamId), { signal }),
  create: (input: TeamCreateInput) =>
    apiRequest<TeamResponse>('/teams', { method: 'POST', body: input }),
  join: (input: TeamJoinInput) =>
    apiRequest<TeamResponse>('/teams/join', { method: 'POST', body: input }),
  invite: (teamId: string) =>
    apiRequest<TeamInviteResponse>(`${teamPath(teamId)}/invites`, { method: 'POST', body: {} }),
  removeMember: (teamId: string, userId: string) =>
    apiRequest<void>(`${teamPath(teamId)}/members/${encodeURIComponent(userId)}`, {
      method: 'DELETE',
    }),
};
