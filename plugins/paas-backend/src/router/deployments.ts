import { HttpAuthService } from '@backstage/backend-plugin-api';
import {
  DEPLOYMENT_STATES,
  dnsLabelSchema,
  submitDeploymentRequestSchema,
} from '@paasport/plugin-paas-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { DeploymentService } from '../service/DeploymentService';
import { parseInput } from '../validation';
import { userContext } from './callContext';
import { pageResponse, parsePageQuery } from './pagination';

const listQuerySchema = z
  .object({ state: z.enum(DEPLOYMENT_STATES).optional() })
  .strict();

/** Deployments: members read, developers and admins submit, stop, start and delete. */
export function createDeploymentsRouter(options: {
  httpAuth: HttpAuthService;
  deployments: DeploymentService;
}): express.Router {
  const { httpAuth, deployments } = options;
  const router = Router();

  const context = userContext(httpAuth);
  const organizationParam = (req: Request) =>
    parseInput(dnsLabelSchema, req.params.organization, 'organization name');
  const idParam = (req: Request) =>
    parseInput(z.string().uuid(), req.params.id, 'deployment id');

  router.get('/priority-classes', async (req, res) => {
    await context(req);
    res.json(deployments.priorityClasses());
  });

  router.post('/organizations/:organization/deployments', async (req, res) => {
    const ctx = await context(req);
    const organization = organizationParam(req);
    const input = parseInput(
      submitDeploymentRequestSchema,
      req.body,
      'request body',
    );
    res.status(201).json(await deployments.submit(organization, input, ctx));
  });

  router.get('/organizations/:organization/deployments', async (req, res) => {
    const ctx = await context(req);
    const organization = organizationParam(req);
    const { page, rest } = parsePageQuery(req.query);
    const { state } = parseInput(listQuerySchema, rest, 'query');
    res.json(
      pageResponse(await deployments.list(organization, { state }, ctx, page)),
    );
  });

  router.get('/deployments/:id', async (req, res) => {
    const ctx = await context(req);
    res.json(await deployments.get(idParam(req), ctx));
  });

  router.get('/deployments/:id/events', async (req, res) => {
    const ctx = await context(req);
    const { page } = parsePageQuery(req.query);
    res.json(pageResponse(await deployments.events(idParam(req), ctx, page)));
  });

  router.post('/deployments/:id/stop', async (req, res) => {
    const ctx = await context(req);
    res.json(await deployments.stop(idParam(req), ctx));
  });

  router.post('/deployments/:id/start', async (req, res) => {
    const ctx = await context(req);
    res.json(await deployments.start(idParam(req), ctx));
  });

  router.delete('/deployments/:id', async (req, res) => {
    const ctx = await context(req);
    await deployments.remove(idParam(req), ctx);
    res.status(204).end();
  });

  return router;
}
