import { ConflictError } from '@backstage/errors';
import { PermissionCriteria } from '@backstage/plugin-permission-common';
import {
  DeletionPolicy,
  ManagedResource,
  ResourceCondition,
  ResourceEvent,
  ResourceKind,
  ResourcePhase,
  teamGroupName,
} from '@paasport/plugin-paas-common';
import {
  MemberScopedQuery,
  MemberScopedResource,
} from '@paasport/plugin-paas-node';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import {
  loadMemberScopedResources,
  RESOURCES_TABLE,
  whereMemberScopedMatches,
} from './memberScopedCriteria';
import {
  KeysetColumn,
  Page,
  PageRequest,
  selectPage,
} from './keysetPagination';
import { QuotaStore } from './QuotaStore';
import { toIsoTimestamp } from './timestamps';
import { inRetriedTransaction } from './transactions';

/** The phases in which the reconciler has work to do. */
const ACTIVE_PHASES = ['provisioning', 'ready', 'deleting'];

/** Lists' order; `id` tells apart a deleted resource and the live one of the same name. */
const RESOURCE_ORDER: KeysetColumn[] = [
  { column: 'organization', type: 'string' },
  { column: 'team', type: 'string' },
  { column: 'kind', type: 'string' },
  { column: 'name', type: 'string' },
  { column: 'created_at', type: 'timestamp' },
  { column: 'id', type: 'string' },
];

type RawResourceRow = {
  id: string;
  organization: string;
  team: string;
  kind: ResourceKind;
  name: string;
  external_name: string;
  component: string | null;
  spec: string;
  phase: ResourcePhase;
  deletion_policy: DeletionPolicy;
  generation: number;
  observed_generation: number;
  conditions: string;
  outputs: string;
  external_id: string | null;
  monthly_cost: number;
  approval_id: string | null;
  idempotency_key: string | null;
  message: string | null;
  attempts: number;
  next_attempt_at: number | string | null;
  lease_owner: string | null;
  lease_expires_at: number | string | null;
  lease_token: string | null;
  requested_by: string;
  created_at: Date | string;
  updated_at: Date | string;
};

type RawEventRow = {
  id: number;
  resource_id: string;
  type: string;
  message: string;
  actor: string | null;
  created_at: number | string;
};

/** Which resources a list returns; every filter given must match. */
export interface ResourceFilter {
  organization?: string;
  team?: string;
  kind?: ResourceKind;
  includeDeleted?: boolean;
  /** Permission conditions, applied in SQL. */
  criteria?: PermissionCriteria<MemberScopedQuery>;
}

/** A resource as the service accepted it. */
export interface NewResource {
  id: string;
  organization: string;
  team: string;
  kind: ResourceKind;
  name: string;
  externalName: string;
  component?: string;
  spec: Record<string, unknown>;
  phase: 'pending-approval' | 'provisioning';
  deletionPolicy: DeletionPolicy;
  monthlyCost: number;
  approvalId?: string;
  idempotencyKey?: string;
  requestedBy: string;
  now: Date;
}

/** The approval a failed resource is to wait for, opened in the retry's transaction. */
export interface ResourceApprovalHold {
  approvalId: string;
  open(tx: Knex.Transaction): Promise<void>;
}

/** One line of a resource's history. */
export interface ResourceEventInput {
  type: string;
  message: string;
  actor?: string;
}

/** A resource the reconciler holds the lease of. */
export interface ClaimedResource extends Omit<ManagedResource, 'phase'> {
  phase: 'provisioning' | 'ready' | 'deleting';
  attempts: number;
  /** Drawn for this claim; the lease is held while the row carries it. */
  leaseToken: string;
}

/** What the writes under a lease check: the claim's token and the generation it worked on. */
export type ResourceLease = Pick<
  ClaimedResource,
  'id' | 'leaseToken' | 'generation'
>;

/** What one reconcile attempt found, written back under the lease. */
export interface ReconcileOutcome {
  phase: 'provisioning' | 'ready' | 'failed' | 'deleting';
  conditions?: ResourceCondition[];
  outputs?: Record<string, string>;
  externalId?: string;
  observedGeneration?: number;
  message?: string;
  attempts: number;
  /** When to look again; undefined when nothing is due until someone asks. */
  nextAttemptAt?: Date;
}

/** The subject under which a resource holds quota. */
export function resourceSubject(id: string) {
  return `resource:${id}`;
}

export interface ResourceStore {
  /**
   * Inserts the resource and its first event, running `within` in the same transaction (to
   * reserve quota or open an approval). Returns `created: false` with the earlier resource
   * when one with the same idempotency key exists; throws ConflictError when the name is
   * taken by another.
   */
  create(
    resource: NewResource,
    event: ResourceEventInput,
    within?: (tx: Knex.Transaction) => Promise<void>,
  ): Promise<{ resource: ManagedResource; created: boolean }>;
  get(id: string): Promise<ManagedResource | undefined>;
  /** The organization's resource created with this idempotency key; keys are per organization. */
  getByIdempotencyKey(
    organization: string,
    key: string,
  ): Promise<ManagedResource | undefined>;
  /**
   * Every matching resource by owner, kind and name, unbounded: for tests and jobs; what
   * callers ask for goes through {@link ResourceStore.listPage}.
   */
  list(filter: ResourceFilter): Promise<ManagedResource[]>;
  /** One page of {@link ResourceStore.list}, in the same order. */
  listPage(
    filter: ResourceFilter,
    page: PageRequest,
  ): Promise<Page<ManagedResource>>;
  /** For the permission framework: organization, requester and members. */
  getResources(ids: string[]): Promise<Array<MemberScopedResource | undefined>>;
  /** Every event of the resource, unbounded: for tests and jobs. */
  events(id: string): Promise<ResourceEvent[]>;
  /** One page of the resource's events, oldest first. */
  eventsPage(id: string, page: PageRequest): Promise<Page<ResourceEvent>>;
  /**
   * Carries out an approval in the decision's transaction: `provisioning` (after `within`
   * reserved the quota) or `failed`.
   */
  settleApproval(
    tx: Knex.Transaction,
    id: string,
    approvalId: string,
    approved: boolean,
    event: ResourceEventInput,
    at: Date,
    within?: () => Promise<void>,
  ): Promise<void>;
  /**
   * Marks the resource for deletion; one still waiting for an approval is deleted at once,
   * as it holds nothing. Returns the resource as it now is.
   */
  requestDeletion(
    id: string,
    event: ResourceEventInput,
    at: Date,
  ): Promise<ManagedResource>;
  /**
   * Makes a failed resource due again, with its attempts reset; with `hold`, it waits in
   * `pending-approval` for that approval instead, still holding its quota.
   */
  retry(
    id: string,
    event: ResourceEventInput,
    at: Date,
    hold?: ResourceApprovalHold,
  ): Promise<ManagedResource>;
  /**
   * Takes the lease of up to `limit` due resources for `leaseMs`, each under a new token. A
   * resource whose lease has expired (its holder died) is due again.
   */
  claimDue(
    owner: string,
    at: Date,
    leaseMs: number,
    limit: number,
  ): Promise<ClaimedResource[]>;
  /**
   * Extends the lease to `leaseMs` from `at` if the row still carries the claim's token, and
   * returns the row as it now is (a deletion may have been asked for meanwhile); undefined
   * when another replica has taken it or it no longer needs work.
   */
  renewLease(
    lease: ResourceLease,
    at: Date,
    leaseMs: number,
  ): Promise<ClaimedResource | undefined>;
  /**
   * Writes what an attempt found and gives the lease back, or keeps it until `holdLeaseUntil`.
   * False when the lease was lost (another replica took it), or the resource changed meanwhile
   * (a deletion was asked for, its spec changed), in which case nothing is written.
   */
  recordOutcome(
    lease: ResourceLease,
    outcome: ReconcileOutcome,
    event: ResourceEventInput | undefined,
    at: Date,
    holdLeaseUntil?: Date,
  ): Promise<boolean>;
  /** Gives the lease back if the row still carries the claim's token; changes nothing else. */
  releaseLease(lease: ResourceLease): Promise<void>;
  /** Ends a deletion under the lease: `deleted`, its quota released, in one transaction. */
  finishDeletion(
    lease: ResourceLease,
    event: ResourceEventInput,
    at: Date,
  ): Promise<boolean>;
  /** When the next resource is due, for the reconciler's timer. */
  nextDue(): Promise<Date | undefined>;
}

export class DatabaseResourceStore implements ResourceStore {
  constructor(private readonly db: Knex, private readonly quotas: QuotaStore) {}

  async create(
    r: NewResource,
    event: ResourceEventInput,
    within?: (tx: Knex.Transaction) => Promise<void>,
  ): Promise<{ resource: ManagedResource; created: boolean }> {
    const row: RawResourceRow = {
      id: r.id,
      organization: r.organization,
      team: r.team,
      kind: r.kind,
      name: r.name,
      external_name: r.externalName,
      component: r.component ?? null,
      spec: JSON.stringify(r.spec),
      phase: r.phase,
      deletion_policy: r.deletionPolicy,
      generation: 1,
      observed_generation: 0,
      conditions: '[]',
      outputs: '{}',
      external_id: null,
      monthly_cost: r.monthlyCost,
      approval_id: r.approvalId ?? null,
      idempotency_key: r.idempotencyKey ?? null,
      message: null,
      attempts: 0,
      next_attempt_at: r.phase === 'provisioning' ? r.now.getTime() : null,
      lease_owner: null,
      lease_expires_at: null,
      lease_token: null,
      requested_by: r.requestedBy,
      created_at: r.now.toISOString(),
      updated_at: r.now.toISOString(),
    };
    return inRetriedTransaction(this.db, async tx => {
      // No conflict target: the unique indexes on names are partial, and any of them, or the
      // idempotency key, makes the insert a no-op that is explained below.
      const inserted = await tx('resources')
        .insert(row)
        .onConflict()
        .ignore()
        .returning('id');
      if (inserted.length === 0) {
        const earlier =
          r.idempotencyKey &&
          (await tx<RawResourceRow>('resources')
            .where({
              organization: r.organization,
              idempotency_key: r.idempotencyKey,
            })
            .first());
        if (earlier) {
          return { resource: toResource(earlier), created: false };
        }
        const sameName = await tx('resources')
          .where({
            organization: r.organization,
            team: r.team,
            kind: r.kind,
            name: r.name,
          })
          .whereNot({ phase: 'deleted' })
          .first('id');
        // The cloud name may be held by another organization's resource: say nothing of it.
        throw new ConflictError(
          sameName
            ? `Team ${r.team} of ${r.organization} already has a ${r.kind} named '${r.name}'`
            : `Another resource already has the cloud name this ${r.kind} would get from ` +
              `its organization, team and name; choose another name`,
        );
      }
      await recordEvent(tx, r.id, event, r.now);
      await within?.(tx);
      return { resource: toResource(row), created: true };
    });
  }

  async get(id: string): Promise<ManagedResource | undefined> {
    const row = await this.db<RawResourceRow>('resources')
      .where({ id })
      .first();
    return row ? toResource(row) : undefined;
  }

  async getByIdempotencyKey(
    organization: string,
    key: string,
  ): Promise<ManagedResource | undefined> {
    const row = await this.db<RawResourceRow>('resources')
      .where({ organization, idempotency_key: key })
      .first();
    return row ? toResource(row) : undefined;
  }

  async list(filter: ResourceFilter): Promise<ManagedResource[]> {
    const rows = await this.filtered(filter).orderBy(
      RESOURCE_ORDER.map(c => c.column),
    );
    return rows.map(toResource);
  }

  async listPage(
    filter: ResourceFilter,
    page: PageRequest,
  ): Promise<Page<ManagedResource>> {
    const { rows, nextCursor } = await selectPage<RawResourceRow>(
      this.filtered(filter),
      { list: 'resources', columns: RESOURCE_ORDER, page },
    );
    return { items: rows.map(toResource), nextCursor };
  }

  private filtered(filter: ResourceFilter): Knex.QueryBuilder {
    const query = this.db('resources');
    if (filter.organization) {
      query.where('organization', filter.organization);
    }
    if (filter.team) {
      query.where('team', filter.team);
    }
    if (filter.kind) {
      query.where('kind', filter.kind);
    }
    if (!filter.includeDeleted) {
      query.whereNot('phase', 'deleted');
    }
    if (filter.criteria) {
      whereMemberScopedMatches(
        this.db,
        query,
        filter.criteria,
        RESOURCES_TABLE,
      );
    }
    return query;
  }

  getResources(
    ids: string[],
  ): Promise<Array<MemberScopedResource | undefined>> {
    return loadMemberScopedResources(this.db, 'resources', ids);
  }

  async events(id: string): Promise<ResourceEvent[]> {
    const rows = await this.db<RawEventRow>('resource_events')
      .where({ resource_id: id })
      .orderBy('id');
    return rows.map(toEvent);
  }

  async eventsPage(
    id: string,
    page: PageRequest,
  ): Promise<Page<ResourceEvent>> {
    const { rows, nextCursor } = await selectPage<RawEventRow>(
      this.db('resource_events').where({ resource_id: id }),
      {
        list: 'resource-events',
        columns: [{ column: 'id', type: 'integer' }],
        page,
      },
    );
    return { items: rows.map(toEvent), nextCursor };
  }

  async settleApproval(
    tx: Knex.Transaction,
    id: string,
    approvalId: string,
    approved: boolean,
    event: ResourceEventInput,
    at: Date,
    within?: () => Promise<void>,
  ): Promise<void> {
    const changed = await tx('resources')
      .where({ id, phase: 'pending-approval', approval_id: approvalId })
      .update({
        phase: approved ? 'provisioning' : 'failed',
        message: approved ? null : event.message,
        next_attempt_at: approved ? at.getTime() : null,
        updated_at: at.toISOString(),
      });
    if (changed !== 1) {
      throw new ConflictError(
        'The resource no longer waits for this approval; it was deleted',
      );
    }
    if (approved) {
      await within?.();
    }
    await recordEvent(tx, id, event, at);
  }

  async requestDeletion(
    id: string,
    event: ResourceEventInput,
    at: Date,
  ): Promise<ManagedResource> {
    return inRetriedTransaction(this.db, async tx => {
      const row = await requireRow(tx, id);
      if (row.phase === 'deleted' || row.phase === 'deleting') {
        return toResource(row);
      }
      // Nothing was reserved or created for a resource that holds no quota: one waiting for
      // its first approval, or denied it. One sent back to approval by a retry holds quota
      // and may have left something behind, as may everything else.
      const holdsNothing = !(await holdsQuota(tx, id));
      const next: Partial<RawResourceRow> = holdsNothing
        ? { phase: 'deleted', next_attempt_at: null }
        : { phase: 'deleting', attempts: 0, next_attempt_at: at.getTime() };
      const changed = await tx('resources')
        .where({ id, phase: row.phase })
        .update({ ...next, message: null, updated_at: at.toISOString() });
      if (changed !== 1) {
        throw changedMeanwhile(row.name);
      }
      await recordEvent(tx, id, event, at);
      return toResource({ ...row, ...next, message: null });
    });
  }

  async retry(
    id: string,
    event: ResourceEventInput,
    at: Date,
    hold?: ResourceApprovalHold,
  ): Promise<ManagedResource> {
    return inRetriedTransaction(this.db, async tx => {
      const row = await requireRow(tx, id);
      if (row.phase !== 'failed' || !(await holdsQuota(tx, id))) {
        throw new ConflictError(
          `Only a failed resource that was accepted can be retried; ${row.name} is ${row.phase}`,
        );
      }
      const next = hold
        ? {
            phase: 'pending-approval' as const,
            approval_id: hold.approvalId,
            attempts: 0,
            next_attempt_at: null,
            message: null,
          }
        : {
            phase: 'provisioning' as const,
            attempts: 0,
            next_attempt_at: at.getTime(),
            message: null,
          };
      const changed = await tx('resources')
        .where({ id, phase: 'failed' })
        .update({ ...next, updated_at: at.toISOString() });
      if (changed !== 1) {
        throw changedMeanwhile(row.name);
      }
      await recordEvent(tx, id, event, at);
      await hold?.open(tx);
      return toResource({ ...row, ...next });
    });
  }

  async claimDue(
    owner: string,
    at: Date,
    leaseMs: number,
    limit: number,
  ): Promise<ClaimedResource[]> {
    const now = at.getTime();
    const candidates = await this.db<RawResourceRow>('resources')
      .whereNotNull('next_attempt_at')
      .where('next_attempt_at', '<=', now)
      .whereIn('phase', ACTIVE_PHASES)
      .where(q =>
        q.whereNull('lease_expires_at').orWhere('lease_expires_at', '<', now),
      )
      .orderBy('next_attempt_at')
      .limit(limit)
      .select('id');
    const claimed: ClaimedResource[] = [];
    for (const { id } of candidates) {
      // The guard makes the lease exclusive: of two replicas racing for a row, one updates it.
      const [row] = await this.db<RawResourceRow>('resources')
        .where({ id })
        .whereIn('phase', ACTIVE_PHASES)
        .where(q =>
          q.whereNull('lease_expires_at').orWhere('lease_expires_at', '<', now),
        )
        .update({
          lease_owner: owner,
          lease_token: randomUUID(),
          lease_expires_at: now + leaseMs,
        })
        .returning('*');
      if (row) {
        claimed.push(toClaimed(row));
      }
    }
    return claimed;
  }

  async renewLease(
    lease: ResourceLease,
    at: Date,
    leaseMs: number,
  ): Promise<ClaimedResource | undefined> {
    const [row] = await this.db<RawResourceRow>('resources')
      .where({ id: lease.id, lease_token: lease.leaseToken })
      .whereIn('phase', ACTIVE_PHASES)
      .update({ lease_expires_at: at.getTime() + leaseMs })
      .returning('*');
    return row ? toClaimed(row) : undefined;
  }

  async recordOutcome(
    lease: ResourceLease,
    outcome: ReconcileOutcome,
    event: ResourceEventInput | undefined,
    at: Date,
    holdLeaseUntil?: Date,
  ): Promise<boolean> {
    const leaseAfter = holdLeaseUntil
      ? { lease_expires_at: holdLeaseUntil.getTime() }
      : { lease_owner: null, lease_token: null, lease_expires_at: null };
    return inRetriedTransaction(this.db, async tx => {
      const update: Record<string, unknown> = {
        phase: outcome.phase,
        attempts: outcome.attempts,
        message: outcome.message ?? null,
        next_attempt_at: outcome.nextAttemptAt?.getTime() ?? null,
        ...leaseAfter,
        updated_at: at.toISOString(),
      };
      if (outcome.conditions) {
        update.conditions = JSON.stringify(outcome.conditions);
      }
      if (outcome.outputs) {
        update.outputs = JSON.stringify(outcome.outputs);
      }
      if (outcome.externalId !== undefined) {
        update.external_id = outcome.externalId;
      }
      if (outcome.observedGeneration !== undefined) {
        update.observed_generation = outcome.observedGeneration;
      }
      // A deletion asked for while the attempt ran wins over what the attempt found.
      const changed = await tx('resources')
        .where({
          id: lease.id,
          lease_token: lease.leaseToken,
          generation: lease.generation,
        })
        .whereIn(
          'phase',
          outcome.phase === 'deleting'
            ? ['deleting']
            : ['provisioning', 'ready'],
        )
        .update(update);
      if (changed !== 1) {
        await tx('resources')
          .where({ id: lease.id, lease_token: lease.leaseToken })
          .update(leaseAfter);
        return false;
      }
      if (event) {
        await recordEvent(tx, lease.id, event, at);
      }
      return true;
    });
  }

  async releaseLease(lease: ResourceLease): Promise<void> {
    await this.db('resources')
      .where({ id: lease.id, lease_token: lease.leaseToken })
      .update({ lease_owner: null, lease_token: null, lease_expires_at: null });
  }

  async finishDeletion(
    lease: ResourceLease,
    event: ResourceEventInput,
    at: Date,
  ): Promise<boolean> {
    const { id } = lease;
    return inRetriedTransaction(this.db, async tx => {
      const changed = await tx('resources')
        .where({ id, lease_token: lease.leaseToken, phase: 'deleting' })
        .update({
          phase: 'deleted',
          next_attempt_at: null,
          lease_owner: null,
          lease_token: null,
          lease_expires_at: null,
          message: null,
          updated_at: at.toISOString(),
        });
      if (changed !== 1) {
        return false;
      }
      await this.quotas.release(tx, resourceSubject(id));
      await recordEvent(tx, id, event, at);
      return true;
    });
  }

  async nextDue(): Promise<Date | undefined> {
    const row = await this.db('resources')
      .whereNotNull('next_attempt_at')
      .whereIn('phase', ACTIVE_PHASES)
      .min({ next: 'next_attempt_at' })
      .first();
    return row?.next === null || row?.next === undefined
      ? undefined
      : new Date(Number(row.next));
  }
}

async function holdsQuota(tx: Knex.Transaction, id: string) {
  const held = await tx('quota_reservations')
    .where({ subject: resourceSubject(id) })
    .first('subject');
  return held !== undefined;
}

async function requireRow(
  tx: Knex.Transaction,
  id: string,
): Promise<RawResourceRow> {
  const row = await tx<RawResourceRow>('resources').where({ id }).first();
  if (!row) {
    throw new ConflictError(`The resource ${id} no longer exists`);
  }
  return row;
}

function changedMeanwhile(name: string) {
  return new ConflictError(
    `The resource ${name} changed while this request ran; try again`,
  );
}

async function recordEvent(
  tx: Knex.Transaction,
  resourceId: string,
  event: ResourceEventInput,
  at: Date,
) {
  await tx('resource_events').insert({
    resource_id: resourceId,
    type: event.type,
    message: event.message,
    actor: event.actor ?? null,
    created_at: at.getTime(),
  });
}

function toClaimed(row: RawResourceRow): ClaimedResource {
  return {
    ...toResource(row),
    phase: row.phase as ClaimedResource['phase'],
    attempts: row.attempts,
    leaseToken: row.lease_token!,
  };
}

function toEvent(row: RawEventRow): ResourceEvent {
  return {
    id: row.id,
    resourceId: row.resource_id,
    type: row.type,
    message: row.message,
    ...(row.actor ? { actor: row.actor } : {}),
    createdAt: new Date(Number(row.created_at)).toISOString(),
  };
}

function toResource(row: RawResourceRow): ManagedResource {
  return {
    id: row.id,
    organization: row.organization,
    team: row.team,
    kind: row.kind,
    name: row.name,
    externalName: row.external_name,
    owner: `group:default/${teamGroupName(row.organization, row.team)}`,
    ...(row.component ? { component: row.component } : {}),
    spec: JSON.parse(row.spec),
    phase: row.phase,
    deletionPolicy: row.deletion_policy,
    generation: row.generation,
    observedGeneration: row.observed_generation,
    conditions: JSON.parse(row.conditions),
    outputs: JSON.parse(row.outputs),
    ...(row.external_id ? { externalId: row.external_id } : {}),
    monthlyCost: row.monthly_cost,
    ...(row.approval_id ? { approvalId: row.approval_id } : {}),
    ...(row.message ? { message: row.message } : {}),
    requestedBy: row.requested_by,
    createdAt: toIsoTimestamp(row.created_at),
    updatedAt: toIsoTimestamp(row.updated_at),
  };
}
