import { HttpAuthService } from '@backstage/backend-plugin-api';
import {
  approvalDecisionRequestSchema,
  createQuotaRequestSchema,
  listApprovalsQuerySchema,
} from '@paasport/plugin-paas-common';
import express from 'express';
import Router from 'express-promise-router';
import { ApprovalService } from '../service/ApprovalService';
import { parseInput } from '../validation';
import { userContext } from './callContext';
import { pageResponse, parsePageQuery } from './pagination';

/** Approvals: quota-increase requests, the lists of approvals and their decisions. */
export function createApprovalsRouter(options: {
  httpAuth: HttpAuthService;
  approvals: ApprovalService;
}): express.Router {
  const { httpAuth, approvals } = options;
  const router = Router();

  const context = userContext(httpAuth);

  router.post('/organizations/:org/quota-requests', async (req, res) => {
    const ctx = await context(req);
    const input = parseInput(
      createQuotaRequestSchema,
      req.body,
      'request body',
    );
    res
      .status(201)
      .json(await approvals.requestQuotaIncrease(req.params.org, input, ctx));
  });

  router.get('/organizations/:org/approvals', async (req, res) => {
    const ctx = await context(req);
    const { page, rest } = parsePageQuery(req.query);
    const { state } = parseInput(listApprovalsQuerySchema, rest, 'query');
    res.json(
      pageResponse(
        await approvals.listForOrganization(
          req.params.org,
          { state },
          ctx,
          page,
        ),
      ),
    );
  });

  router.get('/approvals', async (req, res) => {
    const ctx = await context(req);
    const { page, rest } = parsePageQuery(req.query);
    const { state } = parseInput(listApprovalsQuerySchema, rest, 'query');
    res.json(pageResponse(await approvals.inbox({ state }, ctx, page)));
  });

  router.post('/approvals/:id/decision', async (req, res) => {
    const ctx = await context(req);
    const input = parseInput(
      approvalDecisionRequestSchema,
      req.body,
      'request body',
    );
    res.json(await approvals.decide(req.params.id, input, ctx));
  });

  return router;
}
