import {
  BackstageCredentials,
  BackstageUserPrincipal,
  HttpAuthService,
  LifecycleService,
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { readDurationFromConfig } from '@backstage/config';
import { CustomErrorBase } from '@backstage/errors';
import { durationToMilliseconds } from '@backstage/types';
import {
  createInviteRequestSchema,
  redeemInviteRequestSchema,
} from '@paasport/plugin-paas-common';
import express, { NextFunction, Request, Response } from 'express';
import Router from 'express-promise-router';
import { rateLimit } from 'express-rate-limit';
import { InviteService } from '../service/InviteService';
import { parseInput } from '../validation';
import { createRateLimitStore } from './rateLimitStore';
import { userContext } from './callContext';
import { pageResponse, parsePageQuery } from './pagination';

/** 429: the caller made too many attempts; `Retry-After` says when to try again. */
class TooManyRequestsError extends CustomErrorBase {
  name = 'TooManyRequestsError' as const;
  statusCode = 429 as const;
}

type UserCredentials = BackstageCredentials<BackstageUserPrincipal>;

/** Invite codes of an organization, and redeeming one. */
export function createInvitesRouter(options: {
  httpAuth: HttpAuthService;
  invites: InviteService;
  config: RootConfigService;
  logger: LoggerService;
  lifecycle: LifecycleService;
}): express.Router {
  const { httpAuth, invites } = options;
  const router = Router();

  const context = userContext(httpAuth);

  router.post('/organizations/:org/invites', async (req, res) => {
    const ctx = await context(req);
    const input = parseInput(
      createInviteRequestSchema,
      req.body,
      'request body',
    );
    res.status(201).json(await invites.create(req.params.org, input, ctx));
  });

  router.get('/organizations/:org/invites', async (req, res) => {
    const ctx = await context(req);
    const { page } = parsePageQuery(req.query);
    res.json(pageResponse(await invites.list(req.params.org, ctx, page)));
  });

  router.delete('/organizations/:org/invites/:id', async (req, res) => {
    await invites.revoke(req.params.org, req.params.id, await context(req));
    res.status(204).end();
  });

  // Authenticate first, so the limiter can count attempts per user rather than per address.
  router.post(
    '/invites/redeem',
    async (req: Request, res: Response) => {
      res.locals.credentials = await httpAuth.credentials(req, {
        allow: ['user'],
      });
      return 'next';
    },
    createRedeemRateLimit(options),
    async (req, res) => {
      const credentials: UserCredentials = res.locals.credentials;
      const { code } = parseInput(
        redeemInviteRequestSchema,
        req.body,
        'request body',
      );
      res.json(await invites.redeem(code, { credentials, request: req }));
    },
  );

  return router;
}

function createRedeemRateLimit(options: {
  config: RootConfigService;
  logger: LoggerService;
  lifecycle: LifecycleService;
}) {
  const { config, logger, lifecycle } = options;
  const key = 'paas.invites.redeemRateLimit';
  const limit = config.getOptionalNumber(`${key}.max`) ?? 5;
  const windowMs = config.has(`${key}.window`)
    ? durationToMilliseconds(
        readDurationFromConfig(config, { key: `${key}.window` }),
      )
    : 60_000;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new Error(
      `Invalid config at '${key}.max': must be a whole number above 0`,
    );
  }
  if (windowMs < 1000 || windowMs > 2 ** 31 - 1) {
    throw new Error(
      `Invalid config at '${key}.window': must be between a second and 24 days`,
    );
  }

  return rateLimit({
    windowMs,
    limit,
    store: createRateLimitStore({
      config,
      lifecycle,
      logger,
      prefix: 'paas:invites-redeem:',
    }),
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: (_req, res) =>
      (
        res.locals.credentials as UserCredentials
      ).principal.userEntityRef.toLocaleLowerCase('en-US'),
    handler: (_req: Request, res: Response, next: NextFunction) => {
      const seconds =
        Number(res.getHeader('Retry-After')) || Math.ceil(windowMs / 1000);
      next(
        new TooManyRequestsError(`Too many attempts; retry in ${seconds} s`),
      );
    },
    logger: {
      warn: (error, message) =>
        logger.warn(message ?? String(error), toLogMeta(error)),
      error: (error, message) =>
        logger.error(message ?? String(error), toLogMeta(error)),
    },
  });
}

function toLogMeta(error: unknown): Error | undefined {
  return error instanceof Error ? error : undefined;
}
