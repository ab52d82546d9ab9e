import { z } from 'zod';
import { plainText } from './card';

/**
 * Teams: a startup or company whose staff share one lead board. Members are owners
 * (invite, remove, rename) or plain members.
 */

export const TEAM_LIMITS = {
  name: 80,
  /** Staff of one stand; a generous ceiling keeps the team document small. */
  maxMembers: 200,
  /** An invite code (and link) stays valid this long after it was issued. */
  inviteTtlDays: 7,
} as const;

export const TEAM_ROLES = ['owner', 'member'] as const;
export type TeamRole = (typeof TEAM_ROLES)[number];

/**
 * Invite codes: 12 characters without look-alikes (no 0/O, 1/I/L), ~59 bits of entropy,
 * shown in groups of four. People may type them with spaces, dashes or in lower case.
 */
export const TEAM_INVITE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const TEAM_INVITE_LENGTH = 12;
export const TEAM_INVITE_PATTERN = new RegExp(`^[${TEAM_INVITE_ALPHABET}]{${TEAM_INVITE_LENGTH}}$`);

/** Client route an invite link opens: `${PUBLIC_URL}/teams/join/<code>`. */
export const TEAM_INVITE_PATH = '/teams/join';

export function teamInviteUrl(publicUrl: string, code: string): string {
  return `${publicUrl}${TEAM_INVITE_PATH}/${encodeURIComponent(code)}`;
}

export const TeamInviteCodeSchema = z
  .string({ error: 'Enter the team invite code.' })
  .max(40, 'Enter the 12-character team invite code.')
  .transform((value) => value.replace(/[\s-]/g, '').toUpperCase())
  .pipe(z.string().regex(TEAM_INVITE_PATTERN, 'Enter the 12-character team invite code.'));

/** `POST /api/teams` */
export const TeamCreateSchema = z.strictObject({
  name: plainText(TEAM_LIMITS.name, { min: 1, label: 'Team name' }),
});
export type TeamCreateInput = z.input<typeof TeamCreateSchema>;

/** `POST /api/teams/join` */
export const TeamJoinSchema = z.strictObject({ code: TeamInviteCodeSchema });
export type TeamJoinInput = z.input<typeof TeamJoinSchema>;

/** `PATCH /api/teams/:teamId/members/:userId` (owners): promote or demote. */
export const TeamMemberUpdateSchema = z.strictObject({
  role: z.enum(TEAM_ROLES, { error: 'Role must be owner or member.' }),
});
export type TeamMemberUpdateInput = z.input<typeof TeamMemberUpdateSchema>;

/** `POST /api/teams/:teamId/invites` takes no body (or an empty object). */
export const TeamInviteCreateSchema = z.strictObject({});

export interface TeamSummaryDto {
  id: string;
  name: string;
  /** My role in the team. */
  role: TeamRole;
  memberCount: number;
  createdAt: string;
}

export interface TeamMemberDto {
  userId: string;
  name: string;
  role: TeamRole;
  joinedAt: string;
}

export interface TeamDetailDto extends TeamSummaryDto {
  members: TeamMemberDto[];
}

/** `POST /api/teams` (201), `POST /api/teams/join`, `GET /api/teams/:teamId` */
export interface TeamResponse {
  team: TeamDetailDto;
}

/** `GET /api/teams`: the teams I belong to, by name. */
export interface MyTeamsResponse {
  items: TeamSummaryDto[];
}

/**
 * `POST /api/teams/:teamId/invites` (201, owners). Each call issues a new code and
 * revokes the previous one.
 */
export interface TeamInviteResponse {
  code: string;
  url: string;
  expiresAt: string;
}
