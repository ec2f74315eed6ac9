import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  Approval,
  ApprovalState,
  Approver,
} from '@paasport/plugin-paas-common';
import { PermissionCriteria } from '@backstage/plugin-permission-common';
import { OrganizationQuery } from '@paasport/plugin-paas-node';
import { Knex } from 'knex';
import { Page, PageRequest, selectPage } from './keysetPagination';
import { whereOrganizationMatches } from './organizationCriteria';
import { toIsoTimestamp } from './timestamps';

type RawApprovalRow = {
  id: string;
  organization: string;
  subject_type: string;
  subject: string;
  requested_by: string;
  reason: string;
  required_approver: Approver;
  state: ApprovalState;
  decided_by: string | null;
  decided_at: Date | string | null;
  decision_reason: string | null;
  expires_at: Date | string;
  created_at: Date | string;
};

/** Which approvals a list shows; every given field must match. */
export interface ApprovalFilter {
  organization?: string;
  /** Only these organizations; an empty list matches nothing. */
  organizations?: string[];
  requiredApprover?: Approver;
  /** `pending` leaves out expired ones; `expired` includes pending ones past their expiry. */
  state?: ApprovalState;
  /**
   * Only what a caller may decide: approvals for the platform team if `platform`, and
   * approvals for admins in the organizations `admin` allows (permission criteria on
   * organizations, applied in SQL).
   */
  decidableBy?: {
    platform: boolean;
    admin: 'all' | 'none' | PermissionCriteria<OrganizationQuery>;
  };
  /** Leaves out the approvals this principal requested. */
  notRequestedBy?: string;
}

/** An approval as it is first stored: pending until `expiresAt`. */
export interface NewApprovalRecord {
  id: string;
  organization: string;
  subjectType: string;
  subject: Record<string, unknown>;
  requestedBy: string;
  reason: string;
  requiredApprover: Approver;
  expiresAt: Date;
  now: Date;
}

/** Approvals and their decisions. */
export interface ApprovalStore {
  create(approval: NewApprovalRecord, tx?: Knex.Transaction): Promise<Approval>;
  /** Undefined for an unknown id. `now` tells whether a pending approval has expired. */
  get(id: string, now: Date): Promise<Approval | undefined>;
  /** One page, newest first. */
  list(
    filter: ApprovalFilter,
    now: Date,
    page: PageRequest,
  ): Promise<Page<Approval>>;
  /**
   * Moves a pending, unexpired approval to `state`. Of concurrent deciders exactly one wins;
   * the others get a ConflictError saying whether it was already decided or has expired.
   */
  decide(decision: {
    id: string;
    state: 'approved' | 'denied';
    by: string;
    reason?: string;
    now: Date;
  }): Promise<Approval>;
  /**
   * Decides, then runs `apply` with the decided approval in the same transaction: if `apply`
   * throws, the decision is rolled back with whatever it wrote.
   */
  decideAndApply(
    decision: {
      id: string;
      state: 'approved' | 'denied';
      by: string;
      reason?: string;
      now: Date;
    },
    apply: (approval: Approval, tx: Knex.Transaction) => Promise<void>,
  ): Promise<Approval>;
}

/**
 * ApprovalStore on Backstage's database. Timestamps it compares are written and compared as
 * ISO strings computed in JS, so PostgreSQL (timestamptz) and SQLite (text) agree on them.
 */
export class DatabaseApprovalStore implements ApprovalStore {
  constructor(private readonly db: Knex) {}

  async create(
    approval: NewApprovalRecord,
    tx?: Knex.Transaction,
  ): Promise<Approval> {
    const [row] = await (tx ?? this.db)<RawApprovalRow>('approvals')
      .insert({
        id: approval.id,
        organization: approval.organization,
        subject_type: approval.subjectType,
        subject: JSON.stringify(approval.subject),
        requested_by: approval.requestedBy,
        reason: approval.reason,
        required_approver: approval.requiredApprover,
        state: 'pending',
        expires_at: approval.expiresAt.toISOString(),
        created_at: approval.now.toISOString(),
      })
      .returning('*');
    return toApproval(row, approval.now);
  }

  async get(id: string, now: Date): Promise<Approval | undefined> {
    const row = await this.db<RawApprovalRow>('approvals')
      .where({ id })
      .first();
    return row ? toApproval(row, now) : undefined;
  }

  async list(
    filter: ApprovalFilter,
    now: Date,
    page: PageRequest,
  ): Promise<Page<Approval>> {
    if (filter.organizations?.length === 0) {
      return { items: [] };
    }
    const nowIso = now.toISOString();
    const query = this.db('approvals');
    if (filter.organization) {
      query.where('organization', filter.organization);
    }
    if (filter.organizations) {
      query.whereIn('organization', filter.organizations);
    }
    if (filter.requiredApprover) {
      query.where('required_approver', filter.requiredApprover);
    }
    if (filter.state === 'pending') {
      query.where('state', 'pending').andWhere('expires_at', '>', nowIso);
    } else if (filter.state === 'expired') {
      query.where(expired =>
        expired
          .where('state', 'expired')
          .orWhere(lapsed =>
            lapsed
              .where('state', 'pending')
              .andWhere('expires_at', '<=', nowIso),
          ),
      );
    } else if (filter.state) {
      query.where('state', filter.state);
    }
    if (filter.decidableBy) {
      const { platform, admin } = filter.decidableBy;
      query.where(decidable => {
        if (platform) {
          decidable.orWhere('required_approver', 'platform');
        }
        if (admin !== 'none') {
          decidable.orWhere(byAdmin => {
            byAdmin.where('required_approver', 'admin');
            if (admin !== 'all') {
              const organizations = this.db('organizations').select('name');
              whereOrganizationMatches(this.db, organizations, admin);
              byAdmin.whereIn('organization', organizations);
            }
          });
        }
        if (!platform && admin === 'none') {
          decidable.whereRaw('1 = 0');
        }
      });
    }
    if (filter.notRequestedBy) {
      query.whereNot('requested_by', filter.notRequestedBy);
    }
    const { rows, nextCursor } = await selectPage<RawApprovalRow>(query, {
      list: 'approvals',
      columns: [
        { column: 'created_at', type: 'timestamp', order: 'desc' },
        { column: 'id', type: 'string' },
      ],
      page,
    });
    return { items: rows.map(row => toApproval(row, now)), nextCursor };
  }

  async decide(
    decision: {
      id: string;
      state: 'approved' | 'denied';
      by: string;
      reason?: string;
      now: Date;
    },
    tx?: Knex.Transaction,
  ): Promise<Approval> {
    const { id, state, by, reason, now } = decision;
    const nowIso = now.toISOString();
    const db = tx ?? this.db;
    // The guard is re-checked under the row lock, so only one of concurrent deciders updates.
    const [row] = await db<RawApprovalRow>('approvals')
      .where({ id, state: 'pending' })
      .andWhere('expires_at', '>', nowIso)
      .update({
        state,
        decided_by: by,
        decided_at: nowIso,
        decision_reason: reason ?? null,
      })
      .returning('*');
    if (row) {
      return toApproval(row, now);
    }
    const currentRow = await db<RawApprovalRow>('approvals')
      .where({ id })
      .first();
    const current = currentRow && toApproval(currentRow, now);
    if (!current) {
      throw new NotFoundError(`No approval '${id}'`);
    }
    if (current.state === 'expired') {
      throw new ConflictError(
        `Approval '${id}' expired at ${current.expiresAt}`,
      );
    }
    throw new ConflictError(
      `Approval '${id}' is already decided: ${current.state}`,
    );
  }

  async decideAndApply(
    decision: {
      id: string;
      state: 'approved' | 'denied';
      by: string;
      reason?: string;
      now: Date;
    },
    apply: (approval: Approval, tx: Knex.Transaction) => Promise<void>,
  ): Promise<Approval> {
    return this.db.transaction(async tx => {
      const approval = await this.decide(decision, tx);
      await apply(approval, tx);
      return approval;
    });
  }
}

function toApproval(row: RawApprovalRow, now: Date): Approval {
  const expiresAt = toIsoTimestamp(row.expires_at);
  const state =
    row.state === 'pending' && Date.parse(expiresAt) <= now.getTime()
      ? 'expired'
      : row.state;
  return {
    id: row.id,
    organization: row.organization,
    subjectType: row.subject_type,
    subject: JSON.parse(row.subject),
    requestedBy: row.requested_by,
    reason: row.reason,
    requiredApprover: row.required_approver,
    state,
    ...(row.decided_by && row.decided_at
      ? {
          decision: {
            by: row.decided_by,
            at: toIsoTimestamp(row.decided_at),
            ...(row.decision_reason ? { reason: row.decision_reason } : {}),
          },
        }
      : {}),
    expiresAt,
    createdAt: toIsoTimestamp(row.created_at),
  };
}
