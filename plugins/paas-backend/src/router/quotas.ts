import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  quotaDimensionSchema,
  setQuotaRequestSchema,
} from '@paasport/plugin-paas-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { QuotaService } from '../service/QuotaService';
import { parseInput } from '../validation';
import { userContext } from './callContext';

const removeQuotaRequestSchema = z
  .object({ reason: z.string().trim().max(1000).optional() })
  .strict();

const historyQuerySchema = z
  .object({
    limit: z
      .string()
      .regex(/^\d{1,4}$/, { message: 'must be a number from 1 to 1000' })
      .transform(Number)
      .refine(n => n >= 1 && n <= 1000, {
        message: 'must be a number from 1 to 1000',
      })
      .optional(),
  })
  .strict();

/** The dimension of a path; the error names what each kind of dimension must look like. */
function dimensionFrom(value: string): string {
  const result = quotaDimensionSchema.safeParse(value);
  if (result.success) {
    return result.data;
  }
  // A union only says "Invalid input"; its branches say what a valid dimension is.
  const messages = result.error.issues.flatMap(issue =>
    issue.code === 'invalid_union'
      ? issue.errors.flat().map(branch => branch.message)
      : [issue.message],
  );
  throw new InputError(
    `Invalid dimension: ${[...new Set(messages)].join('; or ')}`,
  );
}

/**
 * Quotas of organizations and their teams. Dimensions that contain a slash, such as
 * `gpus/nvidia-a100`, are URL-encoded in paths (`gpus%2Fnvidia-a100`); express decodes them.
 */
export function createQuotasRouter(options: {
  httpAuth: HttpAuthService;
  quotas: QuotaService;
}): express.Router {
  const { httpAuth, quotas } = options;
  const router = Router();

  const context = userContext(httpAuth);
  const dimensionParam = (req: Request) => dimensionFrom(req.params.dimension);

  router.get('/organizations/:org/quotas', async (req, res) => {
    res.json(await quotas.get(req.params.org, await context(req)));
  });

  router.put('/organizations/:org/quotas/:dimension', async (req, res) => {
    const ctx = await context(req);
    const dimension = dimensionParam(req);
    const input = parseInput(setQuotaRequestSchema, req.body, 'request body');
    res.json(
      await quotas.setOrganizationLimit(req.params.org, dimension, input, ctx),
    );
  });

  router.put(
    '/organizations/:org/teams/:team/quotas/:dimension',
    async (req, res) => {
      const ctx = await context(req);
      const dimension = dimensionParam(req);
      const input = parseInput(setQuotaRequestSchema, req.body, 'request body');
      const { org, team } = req.params;
      res.json(await quotas.setTeamLimit(org, team, dimension, input, ctx));
    },
  );

  router.delete(
    '/organizations/:org/teams/:team/quotas/:dimension',
    async (req, res) => {
      const ctx = await context(req);
      const dimension = dimensionParam(req);
      const input = parseInput(
        removeQuotaRequestSchema,
        req.body ?? {},
        'request body',
      );
      const { org, team } = req.params;
      await quotas.removeTeamLimit(org, team, dimension, input, ctx);
      res.status(204).end();
    },
  );

  router.get('/organizations/:org/quota-changes', async (req, res) => {
    const ctx = await context(req);
    const { limit } = parseInput(historyQuerySchema, req.query, 'query');
    res.json({
      items: await quotas.history(req.params.org, { limit }, ctx),
    });
  });

  return router;
}
