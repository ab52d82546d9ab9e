import { Router } from 'express';
import {
  TeamCreateSchema,
  TeamInviteCreateSchema,
  TeamJoinSchema,
  TeamMemberUpdateSchema,
  teamInviteUrl,
  type MyTeamsResponse,
  type TeamInviteResponse,
  type TeamResponse,
} from '../../../../shared/teams';
import { parseInput } from '../../http/validate';
import { getActor, requireAuth } from '../auth/auth.middleware';
import type { FeatureDeps } from '../index';
import { routeParam } from './teams.policy';
import { presentTeamDetail, presentTeamSummary } from './teams.presenter';
import { joinTeamRoom, leaveTeamRoom, registerTeamRooms } from './teams.realtime';
import {
  createInvite,
  createTeam,
  getTeam,
  joinTeam,
  listMyTeams,
  removeMember,
  setMemberRole,
} from './teams.service';

/** `/api/teams`: create, list, join by code, invite, members. */
export function teamsRoutes(deps: FeatureDeps): Router {
  const router = Router();
  const auth = requireAuth(deps);
  registerTeamRooms(deps.io, deps.logger);

  router.post('/teams', auth, async (req, res) => {
    const actor = getActor(res);
    const team = await createTeam(actor, parseInput(TeamCreateSchema, req.body));
    joinTeamRoom(deps.io, actor.userId, team.id);
    const body: TeamResponse = { team: await presentTeamDetail(team, actor.userId) };
    res.status(201).json(body);
  });

  router.get('/teams', auth, async (_req, res) => {
    const actor = getActor(res);
    const teams = await listMyTeams(actor);
    const body: MyTeamsResponse = { items: teams.map((t) => presentTeamSummary(t, actor.userId)) };
    res.json(body);
  });

  router.post('/teams/join', auth, async (req, res) => {
    const actor = getActor(res);
    const team = await joinTeam(actor, parseInput(TeamJoinSchema, req.body));
    joinTeamRoom(deps.io, actor.userId, team.id);
    const body: TeamResponse = { team: await presentTeamDetail(team, actor.userId) };
    res.json(body);
  });

  router.get('/teams/:teamId', auth, async (req, res) => {
    const actor = getActor(res);
    const team = await getTeam(actor, routeParam(req.params, 'teamId'));
    const body: TeamResponse = { team: await presentTeamDetail(team, actor.userId) };
    res.json(body);
  });

  router.post('/teams/:teamId/invites', auth, async (req, res) => {
    const actor = getActor(res);
    parseInput(TeamInviteCreateSchema, req.body ?? {});
    const invite = await createInvite(actor, routeParam(req.params, 'teamId'));
    const body: TeamInviteResponse = {
      code: invite.code,
      url: teamInviteUrl(deps.config.publicUrl, invite.code),
      expiresAt: invite.expiresAt.toISOString(),
    };
    res.status(201).json(body);
  });

  router.patch('/teams/:teamId/members/:userId', auth, async (req, res) => {
    const actor = getActor(res);
    const input = parseInput(TeamMemberUpdateSchema, req.body);
    const team = await setMemberRole(
      actor,
      routeParam(req.params, 'teamId'),
      routeParam(req.params, 'userId'),
      input,
    );
    const body: TeamResponse = { team: await presentTeamDetail(team, actor.userId) };
    res.json(body);
  });

  router.delete('/teams/:teamId/members/:userId', auth, async (req, res) => {
    const teamId = routeParam(req.params, 'teamId');
    const userId = routeParam(req.params, 'userId');
    await removeMember(getActor(res), teamId, userId);
    // Room names use ids as the database prints them (lower-case hex).
    leaveTeamRoom(deps.io, userId.toLowerCase(), teamId.toLowerCase());
    res.status(204).end();
  });

  return router;
}
