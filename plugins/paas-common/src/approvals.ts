import { z } from 'zod';
import { MAX_QUOTA_AMOUNT, quotaDimensionSchema } from './quotas';

/**
 * Where an approval is: `pending` until someone decides or the requester cancels it, and
 * `expired` once it is past its expiry undecided.
 * @public
 */
export const APPROVAL_STATES = [
  'pending',
  'approved',
  'denied',
  'cancelled',
  'expired',
] as const;

/** State of an approval. @public */
export type ApprovalState = (typeof APPROVAL_STATES)[number];

/**
 * Who decides: `admin`, an admin of the organization (`paas.approval.decide`), or `platform`,
 * the platform team (`paas.quota.manage`).
 * @public
 */
export const APPROVERS = ['admin', 'platform'] as const;

/** Who decides an approval. @public */
export type Approver = (typeof APPROVERS)[number];

/** Subject type of a request for a higher organization limit. @public */
export const QUOTA_INCREASE_SUBJECT = 'quota-increase';

/** Subject of a quota-increase approval: the organization limit asked for. @public */
export interface QuotaIncreaseSubject {
  dimension: string;
  limit: number;
}

/** Who decided an approval, when and why. @public */
export interface ApprovalDecision {
  by: string;
  at: string;
  reason?: string;
}

/** A request that someone else must approve. @public */
export interface Approval {
  id: string;
  organization: string;
  /** What is asked for, such as `quota-increase`; tells how to read `subject`. */
  subjectType: string;
  subject: Record<string, unknown>;
  requestedBy: string;
  reason: string;
  requiredApprover: Approver;
  state: ApprovalState;
  /** Set once the approval is approved, denied or cancelled. */
  decision?: ApprovalDecision;
  expiresAt: string;
  createdAt: string;
}

/** Body of `POST /organizations/:org/quota-requests`. @public */
export const createQuotaRequestSchema = z
  .object({
    dimension: quotaDimensionSchema,
    limit: z.number().int().min(0).max(MAX_QUOTA_AMOUNT),
    reason: z.string().trim().min(1).max(1000),
  })
  .strict();

/** A request for a higher organization limit. @public */
export type CreateQuotaRequest = z.output<typeof createQuotaRequestSchema>;

/** Body of `POST /approvals/:id/decision`; a denial must say why. @public */
export const approvalDecisionRequestSchema = z
  .object({
    decision: z.enum(['approve', 'deny']),
    reason: z.string().trim().max(1000).optional(),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.decision === 'deny' && !value.reason) {
      ctx.addIssue({
        code: 'custom',
        path: ['reason'],
        message: 'a denial needs a reason the requester can read',
      });
    }
  });

/** A decision on an approval. @public */
export type ApprovalDecisionRequest = z.output<
  typeof approvalDecisionRequestSchema
>;

/** Query of the approval lists. @public */
export const listApprovalsQuerySchema = z
  .object({ state: z.enum(APPROVAL_STATES).optional() })
  .strict();
