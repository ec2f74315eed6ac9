import express from 'express';
import Router from 'express-promise-router';
import { createHealthService } from '../service/HealthService';

export { parseInput } from '../validation';
export { createOrganizationsRouter } from './organizations';
export { createInvitesRouter } from './invites';
export { createQuotasRouter } from './quotas';
export { createApprovalsRouter } from './approvals';
export { createClustersRouter } from './clusters';
export { createDeploymentsRouter } from './deployments';
export { createResourcesRouter } from './resources';

/**
 * The plugin's router: JSON bodies of at most 64 kB, health, then each domain's routes.
 * Every route sits behind the backend's default auth policy (user or service token); the
 * domain routers then let plain service calls make only the reads the catalog module needs.
 */
export async function createRouter(options: {
  health: ReturnType<typeof createHealthService>;
  routers: express.Router[];
}): Promise<express.Router> {
  const router = Router();
  router.use(express.json({ limit: '64kb' }));

  router.get('/health', async (_req, res) => {
    res.json(await options.health.check());
  });

  for (const domain of options.routers) {
    router.use(domain);
  }
  return router;
}
