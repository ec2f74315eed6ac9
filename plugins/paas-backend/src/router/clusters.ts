import { HttpAuthService } from '@backstage/backend-plugin-api';
import {
  dnsLabelSchema,
  registerClusterRequestSchema,
  updateClusterRequestSchema,
} from '@paasport/plugin-paas-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { ClusterService } from '../service/ClusterService';
import { parseInput } from '../validation';
import { userContext } from './callContext';

/** The cluster registry: holders of `paas.cluster.read` read, the platform team changes. */
export function createClustersRouter(options: {
  httpAuth: HttpAuthService;
  clusters: ClusterService;
}): express.Router {
  const { httpAuth, clusters } = options;
  const router = Router();

  const context = userContext(httpAuth);
  const nameParam = (req: Request) =>
    parseInput(dnsLabelSchema, req.params.name, 'cluster name');

  router.get('/clusters', async (req, res) => {
    res.json({ items: await clusters.list(await context(req)) });
  });

  router.get('/clusters/:name', async (req, res) => {
    const ctx = await context(req);
    res.json(await clusters.get(nameParam(req), ctx));
  });

  router.post('/clusters', async (req, res) => {
    const ctx = await context(req);
    const input = parseInput(
      registerClusterRequestSchema,
      req.body,
      'request body',
    );
    res.status(201).json(await clusters.register(input, ctx));
  });

  router.patch('/clusters/:name', async (req, res) => {
    const ctx = await context(req);
    const name = nameParam(req);
    const input = parseInput(
      updateClusterRequestSchema,
      req.body,
      'request body',
    );
    res.json(await clusters.update(name, input, ctx));
  });

  router.delete('/clusters/:name', async (req, res) => {
    const ctx = await context(req);
    await clusters.remove(nameParam(req), ctx);
    res.status(204).end();
  });

  return router;
}
