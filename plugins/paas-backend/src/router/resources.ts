import { HttpAuthService } from '@backstage/backend-plugin-api';
import { dnsLabelSchema } from '@paasport/plugin-paas-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { ResourceService } from '../service/ResourceService';
import { parseInput } from '../validation';
import { userContext, userOrServiceContext } from './callContext';
import { pageResponse, parsePageQuery } from './pagination';

const listQuerySchema = z
  .object({
    team: dnsLabelSchema.optional(),
    kind: z.string().max(63).optional(),
  })
  .strict();

const allQuerySchema = listQuerySchema.extend({
  organization: dnsLabelSchema.optional(),
});

/**
 * Managed resources: members read, developers and admins request, delete and retry. A
 * request with an `Idempotency-Key` header sent again returns the first result with 200.
 */
export function createResourcesRouter(options: {
  httpAuth: HttpAuthService;
  resources: ResourceService;
}): express.Router {
  const { httpAuth, resources } = options;
  const router = Router();

  const context = userContext(httpAuth);
  const catalogReadContext = userOrServiceContext(httpAuth);
  const organizationParam = (req: Request) =>
    parseInput(dnsLabelSchema, req.params.organization, 'organization name');
  const idParam = (req: Request) =>
    parseInput(z.string().uuid(), req.params.id, 'resource id');

  router.get('/resource-kinds', async (req, res) => {
    await context(req);
    res.json({ items: resources.kinds() });
  });

  router.post('/organizations/:organization/resources', async (req, res) => {
    const ctx = await context(req);
    const organization = organizationParam(req);
    const { resource, created } = await resources.create(
      organization,
      req.body,
      ctx,
      { idempotencyKey: req.get('Idempotency-Key') },
    );
    res.status(created ? 201 : 200).json(resource);
  });

  router.get('/organizations/:organization/resources', async (req, res) => {
    const ctx = await context(req);
    const organization = organizationParam(req);
    const { page, rest } = parsePageQuery(req.query);
    const filter = parseInput(listQuerySchema, rest, 'query');
    res.json(
      pageResponse(await resources.list(organization, filter, ctx, page)),
    );
  });

  router.get('/resources', async (req, res) => {
    const ctx = await catalogReadContext(req);
    const { page, rest } = parsePageQuery(req.query);
    const filter = parseInput(allQuerySchema, rest, 'query');
    res.json(pageResponse(await resources.listAll(filter, ctx, page)));
  });

  router.get('/resources/:id', async (req, res) => {
    const ctx = await context(req);
    res.json(await resources.get(idParam(req), ctx));
  });

  router.get('/resources/:id/events', async (req, res) => {
    const ctx = await context(req);
    const { page } = parsePageQuery(req.query);
    res.json(pageResponse(await resources.events(idParam(req), ctx, page)));
  });

  router.post('/resources/:id/retry', async (req, res) => {
    const ctx = await context(req);
    res.json(await resources.retry(idParam(req), ctx));
  });

  router.delete('/resources/:id', async (req, res) => {
    const ctx = await context(req);
    res.status(202).json(await resources.remove(idParam(req), ctx));
  });

  return router;
}
