import { Router } from 'express';
import {
  LeadBulkUpdateSchema,
  LeadExportQuerySchema,
  LeadListQuerySchema,
  LeadStatsQuerySchema,
  LeadUpdateSchema,
  type LeadBulkUpdateResponse,
  type LeadListResponse,
  type LeadResponse,
  type TeamLeadStatsResponse,
} from '../../../../shared/leads';
import { attachment } from '../exports/filename';
import { parseInput } from '../../http/validate';
import { getActor, requireAuth } from '../auth/auth.middleware';
import type { FeatureDeps } from '../index';
import { routeParam } from '../teams/teams.policy';
import { exportLeads } from './leads.export';
import { presentLeadDetail } from './leads.presenter';
import { bulkUpdateLeads, getLead, listLeads, updateLead } from './leads.service';
import { teamLeadStats } from './leads.stats';

/** `/api/teams/:teamId/leads`: the team's lead board, stats and CRM export. */
export function leadsRoutes(deps: FeatureDeps): Router {
  const router = Router();
  const auth = requireAuth(deps);
  const team = (params: Record<string, string | string[] | undefined>) =>
    routeParam(params, 'teamId');

  router.get('/teams/:teamId/leads', auth, async (req, res) => {
    const query = parseInput(LeadListQuerySchema, req.query);
    const body: LeadListResponse = await listLeads(getActor(res), team(req.params), query);
    res.json(body);
  });

  router.get('/teams/:teamId/leads/stats', auth, async (req, res) => {
    const filter = parseInput(LeadStatsQuerySchema, req.query);
    const body: TeamLeadStatsResponse = {
      stats: await teamLeadStats(getActor(res), team(req.params), filter),
    };
    res.json(body);
  });

  router.get('/teams/:teamId/leads/export', auth, async (req, res) => {
    const query = parseInput(LeadExportQuerySchema, req.query);
    const file = await exportLeads(getActor(res), team(req.params), query);
    res.setHeader('Content-Type', file.contentType);
    res.setHeader('Content-Disposition', attachment(file.filename, 'leads'));
    res.setHeader('Cache-Control', 'no-store');
    res.send(file.body);
  });

  router.post('/teams/:teamId/leads/bulk', auth, async (req, res) => {
    const input = parseInput(LeadBulkUpdateSchema, req.body);
    const body: LeadBulkUpdateResponse = {
      updated: await bulkUpdateLeads(getActor(res), team(req.params), input),
    };
    res.json(body);
  });

  router.get('/teams/:teamId/leads/:leadId', auth, async (req, res) => {
    const lead = await getLead(getActor(res), team(req.params), routeParam(req.params, 'leadId'));
    const body: LeadResponse = { lead: await presentLeadDetail(lead) };
    res.json(body);
  });

  router.patch('/teams/:teamId/leads/:leadId', auth, async (req, res) => {
    const input = parseInput(LeadUpdateSchema, req.body);
    const lead = await updateLead(
      getActor(res),
      team(req.params),
      routeParam(req.params, 'leadId'),
      input,
    );
    const body: LeadResponse = { lead: await presentLeadDetail(lead) };
    res.json(body);
  });

  return router;
}
