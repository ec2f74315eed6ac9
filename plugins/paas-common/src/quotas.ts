import { z } from 'zod';
import { RESOURCE_KINDS } from './schemas/resourceKinds';

/**
 * A dimension quota is counted in:
 * `cpu-millicores`, `memory-mib`, `gpus` (any type), `gpus/<type>` (such as `gpus/nvidia-a100`),
 * `count/<resource kind>` (such as `count/aws:s3-bucket`) and `budget-monthly` (whole currency
 * units per month).
 * @public
 */
export const quotaDimensionSchema = z.union([
  z.enum(['cpu-millicores', 'memory-mib', 'gpus', 'budget-monthly']),
  z.string().regex(/^gpus\/[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, {
    message: 'must be gpus/<type> with a lower-case type such as nvidia-a100',
  }),
  z
    .string()
    .refine(
      value =>
        value.startsWith('count/') &&
        (RESOURCE_KINDS as string[]).includes(value.slice('count/'.length)),
      {
        message: `must be count/<kind> with one of: ${RESOURCE_KINDS.join(
          ', ',
        )}`,
      },
    ),
]);

/** A quota dimension. @public */
export type QuotaDimension = z.output<typeof quotaDimensionSchema>;

/** The largest limit a quota can have: what the databases' integer columns hold. @public */
export const MAX_QUOTA_AMOUNT = 2_000_000_000;

/** Body of `PUT .../quotas/:dimension`. @public */
export const setQuotaRequestSchema = z
  .object({
    limit: z.number().int().min(0).max(MAX_QUOTA_AMOUNT),
    reason: z.string().trim().max(1000).optional(),
  })
  .strict();

/** Limit and usage of one dimension. @public */
export interface QuotaLine {
  dimension: string;
  limit: number;
  /**
   * On a team: what its reservations hold. On the organization: everything its teams hold,
   * carved out or not.
   */
  used: number;
  /** On the organization: the sum of the teams' carve-outs. 0 on a team. */
  allocated: number;
}

/** Answer of `GET /organizations/:org/quotas`. @public */
export interface OrganizationQuotas {
  organization: string;
  lines: QuotaLine[];
  teams: Record<string, QuotaLine[]>;
}

/** One change of a limit, as the history lists it. @public */
export interface QuotaChange {
  id: number;
  organization: string;
  /** Undefined for the organization's own quota. */
  team?: string;
  dimension: string;
  previousLimit?: number;
  newLimit?: number;
  changedBy: string;
  reason?: string;
  createdAt: string;
}
