import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createOrganizationRequestSchema } from '@paasport/plugin-paas-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { OrganizationService } from './service/OrganizationService';
import { createHealthService } from './service/HealthService';

/** Parses a request part with a zod schema, or throws an InputError naming each bad field. */
export function parseInput<T>(
  schema: z.ZodType<T>,
  value: unknown,
  what: string,
): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues.map(issue => {
      const field = issue.path.length ? issue.path.join('.') : what;
      return `${field}: ${issue.message}`;
    });
    throw new InputError(`Invalid ${what}: ${problems.join('; ')}`);
  }
  return result.data;
}

export async function createRouter(options: {
  httpAuth: HttpAuthService;
  organizations: OrganizationService;
  health: ReturnType<typeof createHealthService>;
}): Promise<express.Router> {
  const { httpAuth, organizations, health } = options;
  const router = Router();
  router.use(express.json({ limit: '64kb' }));

  router.get('/health', async (_req, res) => {
    res.json(await health.check());
  });

  router.get('/organizations', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    res.json({ items: await organizations.list({ credentials }) });
  });

  router.get('/organizations/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    res.json(await organizations.get(req.params.name, { credentials }));
  });

  router.post('/organizations', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const input = parseInput(
      createOrganizationRequestSchema,
      req.body,
      'request body',
    );
    res
      .status(201)
      .json(await organizations.create(input, { credentials, request: req }));
  });

  return router;
}
