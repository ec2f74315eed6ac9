import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { NotificationService } from '@backstage/plugin-notifications-node';
import {
  Approval,
  ApprovalDecisionRequest,
  ApprovalState,
  Approver,
  CreateQuotaRequest,
  paasApprovalDecidePermission,
  paasOrganizationReadPermission,
  paasQuotaManagePermission,
  paasQuotaUpdatePermission,
  QUOTA_INCREASE_SUBJECT,
  QuotaIncreaseSubject,
} from '@paasport/plugin-paas-common';
import { randomUUID } from 'node:crypto';
import { ApprovalStore } from '../database/ApprovalStore';
import { Page, PageRequest } from '../database/keysetPagination';
import { audited } from './audit';
import { CallContext } from './CallContext';
import { principalRef } from './credentials';
import { OrganizationAccess } from './OrganizationAccess';
import { JsonObject } from '@backstage/types';
import { Knex } from 'knex';
import { QuotaStore } from '../database/QuotaStore';

/** How long a request waits for a decision unless told otherwise. */
const DEFAULT_TIME_TO_DECIDE_MS = 14 * 24 * 60 * 60 * 1000;
/** quota_changes and the quota service take reasons of at most this many characters. */
const MAX_QUOTA_REASON = 1000;

/** What another service does with approvals of its subject type. */
export interface ApprovalSubjectHandler {
  /**
   * Carries out an approval or a denial inside the decision's transaction; if it throws,
   * the decision is rolled back.
   */
  settle(approval: Approval, tx: Knex.Transaction): Promise<void>;
  /** Runs once the decision is committed, such as waking the scheduler. */
  afterDecision?(approval: Approval): void;
  /** What the requester asked for, for their notification. */
  describe(approval: Approval): string;
}

/** A request another service opens for a subject of its own. */
export interface NewApproval {
  id: string;
  organization: string;
  subjectType: string;
  subject: Record<string, unknown>;
  requestedBy: string;
  reason: string;
  requiredApprover: Approver;
}

/** Requests that someone else approves, with authorization, audit and notifications. */
export interface ApprovalService {
  /**
   * Lets the service that owns `subjectType` settle its approvals. Register before the first
   * decision; a subject type without a handler is decided but nothing else happens.
   */
  registerSubject(subjectType: string, handler: ApprovalSubjectHandler): void;
  /**
   * Opens an approval for a subject of another service, inside that service's transaction.
   * The caller has authorized and audits the request it belongs to.
   */
  open(request: NewApproval, tx: Knex.Transaction): Promise<Approval>;
  /** One approval, for the service that owns its subject; authorizes nothing. */
  find(id: string): Promise<Approval | undefined>;
  /** An organization admin asks the platform team for a higher organization limit. */
  requestQuotaIncrease(
    organization: string,
    input: CreateQuotaRequest,
    ctx: CallContext,
  ): Promise<Approval>;
  /** One page of the organization's approvals, newest first, for its readers. */
  listForOrganization(
    organization: string,
    filter: { state?: ApprovalState },
    ctx: CallContext,
    page: PageRequest,
  ): Promise<Page<Approval>>;
  /**
   * One page of what the caller may decide, newest first: pending ones unless another state
   * is asked for.
   */
  inbox(
    filter: { state?: ApprovalState },
    ctx: CallContext,
    page: PageRequest,
  ): Promise<Page<Approval>>;
  /**
   * Approves or denies, applies what was approved and notifies the requester. NotFoundError
   * when the caller may not see the approval, NotAllowedError when they may see but not
   * decide it (or requested it themselves, unless self-approval is allowed), ConflictError
   * when it is already decided or has expired.
   */
  decide(
    id: string,
    input: ApprovalDecisionRequest,
    ctx: CallContext,
  ): Promise<Approval>;
}

export function createApprovalService(options: {
  store: ApprovalStore;
  quotas: QuotaStore;
  access: OrganizationAccess;
  auditor: AuditorService;
  notifications: NotificationService;
  logger: LoggerService;
  clock?: () => Date;
  timeToDecideMs?: number;
  /** `paas.policy.allowSelfApproval`: whether requesters may decide their own approvals. */
  allowSelfApproval?: boolean;
}): ApprovalService {
  const { store, quotas, access, auditor, notifications, logger } = options;
  const allowSelfApproval = options.allowSelfApproval ?? false;
  const clock = options.clock ?? (() => new Date());
  const timeToDecideMs = options.timeToDecideMs ?? DEFAULT_TIME_TO_DECIDE_MS;
  const handlers = new Map<string, ApprovalSubjectHandler>();

  /** Whether a check that throws NotAllowedError or NotFoundError passes. */
  async function passes(check: () => Promise<void>): Promise<boolean> {
    try {
      await check();
      return true;
    } catch (error) {
      if (error instanceof NotAllowedError || error instanceof NotFoundError) {
        return false;
      }
      throw error;
    }
  }

  async function requireDecider(approval: Approval, ctx: CallContext) {
    const { organization } = approval;
    if (approval.requiredApprover === 'admin') {
      await access.require(
        organization,
        paasApprovalDecidePermission,
        ctx,
        `Only admins of '${organization}' may decide this approval`,
      );
      return;
    }
    const refusal = 'Only the platform team may decide this approval';
    if (
      await passes(() =>
        access.requireBasic(paasQuotaManagePermission, ctx, refusal),
      )
    ) {
      return;
    }
    // Hide approvals of organizations the caller cannot see, as the organization itself is.
    if (
      !(await passes(() =>
        access.require(organization, paasOrganizationReadPermission, ctx, ''),
      ))
    ) {
      throw new NotFoundError(`No approval '${approval.id}'`);
    }
    throw new NotAllowedError(refusal);
  }

  function requireNotOwn(approval: Approval, by: string) {
    if (!allowSelfApproval && approval.requestedBy === by) {
      throw new NotAllowedError(
        'You requested this approval, so someone else must decide it (paas.policy.allowSelfApproval is off)',
      );
    }
  }

  /**
   * Carries out what an approval approved, inside the decision's transaction. The decider has
   * already been checked as an approver, so the quota store is called directly; the change
   * is recorded in the quota history with the approval's id.
   */
  async function apply(approval: Approval, tx: Knex.Transaction) {
    const handler = handlers.get(approval.subjectType);
    if (handler) {
      await handler.settle(approval, tx);
      return;
    }
    if (
      approval.state !== 'approved' ||
      approval.subjectType !== QUOTA_INCREASE_SUBJECT
    ) {
      return;
    }
    const { dimension, limit } =
      approval.subject as unknown as QuotaIncreaseSubject;
    await quotas.setOrganizationLimit(
      approval.organization,
      dimension,
      limit,
      approval.decision?.by ?? 'unknown',
      `Approval ${approval.id}: ${approval.reason}`.slice(0, MAX_QUOTA_REASON),
      tx,
    );
  }

  async function notifyRequester(approval: Approval) {
    const verdict = approval.state === 'approved' ? 'approved' : 'denied';
    const handler = handlers.get(approval.subjectType);
    let what = `Your ${approval.subjectType} request`;
    if (handler) {
      what = handler.describe(approval);
    } else if (approval.subjectType === QUOTA_INCREASE_SUBJECT) {
      what = describeQuotaIncrease(approval);
    }
    const because = approval.decision?.reason
      ? `: ${approval.decision.reason}`
      : '.';
    try {
      await notifications.send({
        recipients: { type: 'entity', entityRef: approval.requestedBy },
        payload: {
          title: `${what} was ${verdict}`,
          description: `${approval.decision?.by} ${verdict} it${because}`,
          link: `/paasport/organizations/${encodeURIComponent(
            approval.organization,
          )}`,
          severity: verdict === 'approved' ? 'normal' : 'high',
          topic: `approval:${approval.id}`,
        },
      });
    } catch (error) {
      // The decision stands; the requester can still see it in the organization's list.
      logger.warn(`Could not notify the requester of approval ${approval.id}`, {
        approvalId: approval.id,
        requestedBy: approval.requestedBy,
        error: String(error),
      });
    }
  }

  return {
    registerSubject(subjectType, handler) {
      if (subjectType === QUOTA_INCREASE_SUBJECT || handlers.has(subjectType)) {
        throw new Error(`Approvals of ${subjectType} already have a handler`);
      }
      handlers.set(subjectType, handler);
    },

    async open(request, tx) {
      const now = clock();
      return store.create(
        {
          ...request,
          expiresAt: new Date(now.getTime() + timeToDecideMs),
          now,
        },
        tx,
      );
    },

    async find(id) {
      return store.get(id, clock());
    },

    async requestQuotaIncrease(organization, input, ctx) {
      const { dimension, limit, reason } = input;
      return audited(
        auditor,
        'approval-request',
        ctx,
        {
          organization,
          subjectType: QUOTA_INCREASE_SUBJECT,
          dimension,
          limit,
          reason,
        },
        async () => {
          await access.require(
            organization,
            paasQuotaUpdatePermission,
            ctx,
            `Only admins of '${organization}' may ask for more quota`,
          );
          const now = clock();
          const subject: QuotaIncreaseSubject = { dimension, limit };
          return store.create({
            id: randomUUID(),
            organization,
            subjectType: QUOTA_INCREASE_SUBJECT,
            subject: { ...subject },
            requestedBy: principalRef(ctx.credentials),
            reason,
            requiredApprover: 'platform',
            expiresAt: new Date(now.getTime() + timeToDecideMs),
            now,
          });
        },
      );
    },

    async listForOrganization(organization, { state }, ctx, page) {
      await access.require(
        organization,
        paasOrganizationReadPermission,
        ctx,
        '',
      );
      return store.list({ organization, state }, clock(), page);
    },

    async inbox({ state = 'pending' }, ctx, page) {
      const platform = await passes(() =>
        access.requireBasic(paasQuotaManagePermission, ctx, ''),
      );
      const admin = await access.visibility(ctx, paasApprovalDecidePermission);
      if (!platform && admin.type === 'none') {
        return { items: [] };
      }
      return store.list(
        {
          state,
          decidableBy: {
            platform,
            admin: admin.type === 'filter' ? admin.criteria : admin.type,
          },
          ...(allowSelfApproval
            ? {}
            : { notRequestedBy: principalRef(ctx.credentials) }),
        },
        clock(),
        page,
      );
    },

    async decide(id, input, ctx) {
      const found = await store.get(id, clock());
      if (!found) {
        throw new NotFoundError(`No approval '${id}'`);
      }
      const state = input.decision === 'approve' ? 'approved' : 'denied';
      const by = principalRef(ctx.credentials);
      const decided = await audited(
        auditor,
        'approval-decide',
        ctx,
        {
          approvalId: id,
          organization: found.organization,
          subjectType: found.subjectType,
          // For a quota increase, the limit an approval sets: the decision and the change it
          // applies are one transaction and one audit event.
          subject: found.subject as JsonObject,
          decision: state,
          reason: input.reason ?? null,
        },
        async () => {
          await requireDecider(found, ctx);
          requireNotOwn(found, by);
          const approval = await store.decideAndApply(
            { id, state, by, reason: input.reason, now: clock() },
            apply,
          );
          return approval;
        },
      );
      await notifyRequester(decided);
      handlers.get(decided.subjectType)?.afterDecision?.(decided);
      return decided;
    },
  };
}

function describeQuotaIncrease(approval: Approval): string {
  const { dimension, limit } =
    approval.subject as unknown as QuotaIncreaseSubject;
  return `Your request for ${limit} ${dimension} in ${approval.organization}`;
}
