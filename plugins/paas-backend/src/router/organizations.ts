import { HttpAuthService } from '@backstage/backend-plugin-api';
import {
  createOrganizationRequestSchema,
  createTeamRequestSchema,
  entityRefSchema,
  setMembershipRequestSchema,
} from '@paasport/plugin-paas-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { MembershipService } from '../service/MembershipService';
import { OrganizationService } from '../service/OrganizationService';
import { TeamService } from '../service/TeamService';
import { parseInput } from '../validation';
import { userContext, userOrServiceContext } from './callContext';
import { pageResponse, parsePageQuery } from './pagination';

/** Organizations, their teams and members. */
export function createOrganizationsRouter(options: {
  httpAuth: HttpAuthService;
  organizations: OrganizationService;
  teams: TeamService;
  memberships: MembershipService;
}): express.Router {
  const { httpAuth, organizations, teams, memberships } = options;
  const router = Router();

  const context = userContext(httpAuth);
  const catalogReadContext = userOrServiceContext(httpAuth);
  const userRefParam = (req: Request) =>
    parseInput(entityRefSchema, req.params.userRef, 'user reference');

  router.get('/organizations', async (req, res) => {
    const ctx = await catalogReadContext(req);
    const { page } = parsePageQuery(req.query);
    res.json(pageResponse(await organizations.list(ctx, page)));
  });

  router.post('/organizations', async (req, res) => {
    const ctx = await context(req);
    const input = parseInput(
      createOrganizationRequestSchema,
      req.body,
      'request body',
    );
    res.status(201).json(await organizations.create(input, ctx));
  });

  router.get('/organizations/:org', async (req, res) => {
    res.json(await organizations.get(req.params.org, await context(req)));
  });

  router.get('/organizations/:org/teams', async (req, res) => {
    const ctx = await catalogReadContext(req);
    const { page } = parsePageQuery(req.query);
    res.json(pageResponse(await teams.list(req.params.org, ctx, page)));
  });

  router.post('/organizations/:org/teams', async (req, res) => {
    const ctx = await context(req);
    const input = parseInput(createTeamRequestSchema, req.body, 'request body');
    res.status(201).json(await teams.create(req.params.org, input, ctx));
  });

  router.put(
    '/organizations/:org/teams/:team/members/:userRef',
    async (req, res) => {
      const ctx = await context(req);
      const { org, team } = req.params;
      await teams.addMember(org, team, userRefParam(req), ctx);
      res.status(204).end();
    },
  );

  router.delete(
    '/organizations/:org/teams/:team/members/:userRef',
    async (req, res) => {
      const ctx = await context(req);
      const { org, team } = req.params;
      await teams.removeMember(org, team, userRefParam(req), ctx);
      res.status(204).end();
    },
  );

  router.get('/organizations/:org/members', async (req, res) => {
    const ctx = await catalogReadContext(req);
    const { page } = parsePageQuery(req.query);
    res.json(pageResponse(await memberships.list(req.params.org, ctx, page)));
  });

  router.put('/organizations/:org/members/:userRef', async (req, res) => {
    const ctx = await context(req);
    const { role } = parseInput(
      setMembershipRequestSchema,
      req.body,
      'request body',
    );
    res.json(
      await memberships.setRole(req.params.org, userRefParam(req), role, ctx),
    );
  });

  router.delete('/organizations/:org/members/:userRef', async (req, res) => {
    const ctx = await context(req);
    await memberships.remove(req.params.org, userRefParam(req), ctx);
    res.status(204).end();
  });

  router.get('/me/memberships', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    res.json({ items: await memberships.mine({ credentials, request: req }) });
  });

  return router;
}
