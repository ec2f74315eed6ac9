import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  ClusterResources,
  Deployment,
  DeploymentEvent,
  DeploymentState,
  deploymentTotals,
  PLACED_DEPLOYMENT_STATES,
} from '@paasport/plugin-paas-common';
import { PermissionCriteria } from '@backstage/plugin-permission-common';
import {
  DeploymentQuery,
  DeploymentResource,
} from '@paasport/plugin-paas-node';
import { Knex } from 'knex';
import { ClusterStore } from './ClusterStore';
import {
  DEPLOYMENTS_TABLE,
  loadMemberScopedResources,
  whereMemberScopedMatches,
} from './memberScopedCriteria';
import { Page, PageRequest, selectPage } from './keysetPagination';
import { QuotaStore } from './QuotaStore';
import { toIsoTimestamp } from './timestamps';
import { inRetriedTransaction } from './transactions';

type RawDeploymentRow = {
  id: string;
  organization: string;
  team: string;
  name: string;
  image: string;
  replicas: number;
  cpu_millicores: number;
  memory_mib: number;
  gpus: number;
  gpu_type: string | null;
  priority_class: string;
  priority: number;
  placement: string;
  /** SQLite answers 0 or 1. */
  writable_root_filesystem: boolean | number;
  state: DeploymentState;
  cluster: string | null;
  queued_at: number | string;
  preemptions: number;
  approval_id: string | null;
  reason: string | null;
  created_by: string;
  created_at: Date | string;
  updated_at: Date | string;
};

type RawEventRow = {
  id: number;
  deployment_id: string;
  type: string;
  message: string;
  actor: string | null;
  created_at: number | string;
};

/** Which deployments a list returns; every filter given must match. */
export interface DeploymentFilter {
  organization?: string;
  /** Only these organizations; an empty list matches nothing. */
  organizations?: string[];
  state?: DeploymentState;
  /** Permission conditions, applied in SQL. */
  criteria?: PermissionCriteria<DeploymentQuery>;
}

/** A deployment as the scheduler sees it: only what ordering, fit and placement need. */
export interface SchedulableDeployment {
  id: string;
  organization: string;
  team: string;
  replicas: number;
  resources: Deployment['resources'];
  gpuType?: string;
  priority: number;
  placement: Record<string, string>;
  /** Milliseconds since the epoch. */
  queuedAt: number;
  reason?: string;
}

/** A placed deployment, as preemption sees it. */
export interface PlacedDeployment extends SchedulableDeployment {
  cluster: string;
  state: DeploymentState;
}

/** A new deployment; `queued` or `pending-approval`. */
export interface NewDeployment {
  id: string;
  organization: string;
  team: string;
  name: string;
  image: string;
  replicas: number;
  resources: Deployment['resources'];
  gpuType?: string;
  priorityClass: string;
  priority: number;
  placement: Record<string, string>;
  writableRootFilesystem?: boolean;
  state: 'queued' | 'pending-approval';
  approvalId?: string;
  createdBy: string;
  now: Date;
}

/** How an admission attempt ended. */
export type AdmissionResult =
  | { type: 'admitted' }
  /** The deployment is no longer queued: another replica placed, stopped or deleted it. */
  | { type: 'gone' }
  | { type: 'no-capacity' }
  | { type: 'no-quota'; message: string };

/** The approval a deployment is to wait for, opened in the transaction that holds it back. */
export interface ApprovalHold {
  approvalId: string;
  open(tx: Knex.Transaction): Promise<void>;
}

/** An event to record with a state change. */
export interface EventInput {
  type: string;
  message: string;
  actor?: string;
}

/** Deployments, their queue, their placement and their history. */
export interface DeploymentStore {
  /**
   * Inserts it with its first event; `within` runs in the same transaction, such as opening
   * its approval. ConflictError when its team already has a deployment of that name.
   */
  create(
    deployment: NewDeployment,
    event: EventInput,
    within?: (tx: Knex.Transaction) => Promise<void>,
  ): Promise<Deployment>;
  get(id: string): Promise<Deployment | undefined>;
  /**
   * Every matching deployment by organization, team and name, unbounded: for tests and
   * jobs; what callers ask for goes through {@link DeploymentStore.listPage}.
   */
  list(filter: DeploymentFilter): Promise<Deployment[]>;
  /** One page of {@link DeploymentStore.list}, in the same order. */
  listPage(
    filter: DeploymentFilter,
    page: PageRequest,
  ): Promise<Page<Deployment>>;
  /** Deployments as permission rules see them, in the order of `ids`. */
  getResources(ids: string[]): Promise<Array<DeploymentResource | undefined>>;
  /** Every queued deployment (at most `limit`), highest priority first, then oldest. */
  listQueued(limit: number): Promise<SchedulableDeployment[]>;
  /** Admitted and running deployments of an organization. */
  listPlaced(organization: string): Promise<PlacedDeployment[]>;
  /** What the admitted and running deployments of each organization hold in total. */
  placedTotalsByOrganization(): Promise<Map<string, ClusterResources>>;
  /**
   * In one transaction: reserves the deployment's quota, allocates its capacity on the
   * cluster and moves it from `queued` to `admitted`. Any shortfall rolls all of it back.
   */
  admit(
    deployment: SchedulableDeployment,
    cluster: string,
    at: Date,
  ): Promise<AdmissionResult>;
  /**
   * Admits many at once in one transaction, all or none: for a scheduler draining a queue,
   * where one commit per admission would be the bottleneck. Returns false, having changed
   * nothing, when any of them no longer fits or is no longer queued; the caller then admits
   * them one by one to find out which.
   */
  admitAll(
    placements: Array<{ deployment: SchedulableDeployment; cluster: string }>,
    at: Date,
  ): Promise<boolean>;
  /**
   * In one transaction: requeues each victim (releasing its quota and capacity, keeping its
   * place in the queue) and admits the deployment. If the deployment still does not fit
   * afterwards, or a victim is no longer placed where it was, nothing changes.
   */
  preemptAndAdmit(
    deployment: SchedulableDeployment,
    cluster: string,
    victims: PlacedDeployment[],
    at: Date,
  ): Promise<AdmissionResult>;
  /**
   * Requeues every deployment placed on a draining cluster, each in its own transaction that
   * releases what it held; they keep their place in the queue. Returns how many moved.
   */
  evacuate(cluster: string, at: Date): Promise<number>;
  /**
   * Stops it, releasing what it holds in the same transaction. NotFoundError for an unknown
   * id, ConflictError when it is already stopped or failed.
   */
  stop(id: string, event: EventInput, at: Date): Promise<Deployment>;
  /**
   * Queues a stopped or failed deployment again, at the back of its priority; with `hold`,
   * it waits in `pending-approval` for that approval instead, opened in the same transaction.
   */
  restart(
    id: string,
    event: EventInput,
    at: Date,
    hold?: ApprovalHold,
  ): Promise<Deployment>;
  /** Removes it and its history, releasing what it holds. NotFoundError for an unknown id. */
  remove(id: string): Promise<Deployment>;
  /**
   * Moves a deployment from `pending-approval` to `queued` or `failed`, within `tx` (the
   * approval's decision). ConflictError when it no longer waits for that approval.
   */
  settleApproval(
    tx: Knex.Transaction,
    id: string,
    approvalId: string,
    outcome: 'queued' | 'failed',
    event: EventInput,
    at: Date,
  ): Promise<void>;
  /** Records why queued deployments wait; a write only where the reason changed. */
  setWaitingReasons(reasons: Map<string, string>): Promise<void>;
  /** Every event of the deployment, unbounded: for tests and jobs. */
  events(id: string): Promise<DeploymentEvent[]>;
  /** One page of the deployment's events, oldest first. */
  eventsPage(id: string, page: PageRequest): Promise<Page<DeploymentEvent>>;
  /** How many admissions were recorded since `since`. */
  countAdmissions(since: Date): Promise<number>;
}

/** The subject its quota reservation is held under. */
export function deploymentSubject(id: string) {
  return `deployment:${id}`;
}

/** The quota a deployment reserves: totals per dimension, GPUs under their type if any. */
export function deploymentQuotaAmounts(
  d: Pick<SchedulableDeployment, 'replicas' | 'resources' | 'gpuType'>,
): Record<string, number> {
  const totals = deploymentTotals(d);
  return {
    'cpu-millicores': totals.cpuMillicores,
    'memory-mib': totals.memoryMib,
    [d.gpuType ? `gpus/${d.gpuType}` : 'gpus']: totals.gpus,
  };
}

const PLACED = PLACED_DEPLOYMENT_STATES as DeploymentState[];
/** Rows per statement in batches; far below SQLite's limit on bound parameters. */
const BATCH_ROWS = 500;

/** Thrown inside a transaction to undo it and report why. */
class Rollback extends Error {
  constructor(readonly result: AdmissionResult) {
    super(`rolled back: ${result.type}`);
  }
}

/** DeploymentStore on Backstage's database (PostgreSQL or SQLite). */
export class DatabaseDeploymentStore implements DeploymentStore {
  constructor(
    private readonly db: Knex,
    private readonly quotas: QuotaStore,
    private readonly clusters: ClusterStore,
  ) {}

  async create(
    d: NewDeployment,
    event: EventInput,
    within?: (tx: Knex.Transaction) => Promise<void>,
  ): Promise<Deployment> {
    const row: RawDeploymentRow = {
      id: d.id,
      organization: d.organization,
      team: d.team,
      name: d.name,
      image: d.image,
      replicas: d.replicas,
      cpu_millicores: d.resources.cpuMillicores,
      memory_mib: d.resources.memoryMib,
      gpus: d.resources.gpus,
      gpu_type: d.gpuType ?? null,
      priority_class: d.priorityClass,
      priority: d.priority,
      placement: JSON.stringify(d.placement),
      writable_root_filesystem: d.writableRootFilesystem ?? false,
      state: d.state,
      queued_at: d.now.getTime(),
      approval_id: d.approvalId ?? null,
      created_by: d.createdBy,
      created_at: d.now.toISOString(),
      updated_at: d.now.toISOString(),
      cluster: null,
      preemptions: 0,
      reason: null,
    };
    await inRetriedTransaction(this.db, async tx => {
      const inserted = await tx('deployments')
        .insert(row)
        .onConflict(['organization', 'team', 'name'])
        .ignore()
        .returning('id');
      if (inserted.length === 0) {
        throw new ConflictError(
          `Team ${d.team} of ${d.organization} already has a deployment named '${d.name}'`,
        );
      }
      await recordEvent(tx, d.id, event, d.now);
      await within?.(tx);
    });
    return toDeployment(row);
  }

  async get(id: string): Promise<Deployment | undefined> {
    const row = await this.db<RawDeploymentRow>('deployments')
      .where({ id })
      .first();
    return row ? toDeployment(row) : undefined;
  }

  async list(filter: DeploymentFilter): Promise<Deployment[]> {
    if (filter.organizations?.length === 0) {
      return [];
    }
    const rows = await this.filtered(filter).orderBy([
      'organization',
      'team',
      'name',
    ]);
    return rows.map(toDeployment);
  }

  async listPage(
    filter: DeploymentFilter,
    page: PageRequest,
  ): Promise<Page<Deployment>> {
    if (filter.organizations?.length === 0) {
      return { items: [] };
    }
    const { rows, nextCursor } = await selectPage<RawDeploymentRow>(
      this.filtered(filter),
      {
        list: 'deployments',
        columns: [
          { column: 'organization', type: 'string' },
          { column: 'team', type: 'string' },
          { column: 'name', type: 'string' },
        ],
        page,
      },
    );
    return { items: rows.map(toDeployment), nextCursor };
  }

  private filtered(filter: DeploymentFilter): Knex.QueryBuilder {
    const query = this.db('deployments');
    if (filter.organization) {
      query.where('organization', filter.organization);
    }
    if (filter.organizations) {
      query.whereIn('organization', filter.organizations);
    }
    if (filter.state) {
      query.where('state', filter.state);
    }
    if (filter.criteria) {
      whereMemberScopedMatches(
        this.db,
        query,
        filter.criteria,
        DEPLOYMENTS_TABLE,
      );
    }
    return query;
  }

  async getResources(
    ids: string[],
  ): Promise<Array<DeploymentResource | undefined>> {
    return loadMemberScopedResources(this.db, 'deployments', ids);
  }

  async listQueued(limit: number): Promise<SchedulableDeployment[]> {
    const rows = await this.db<RawDeploymentRow>('deployments')
      .where('state', 'queued')
      .orderBy([
        { column: 'priority', order: 'desc' },
        { column: 'queued_at', order: 'asc' },
        { column: 'id', order: 'asc' },
      ])
      .limit(limit);
    return rows.map(toSchedulable);
  }

  async listPlaced(organization: string): Promise<PlacedDeployment[]> {
    const rows = await this.db<RawDeploymentRow>('deployments')
      .where({ organization })
      .whereIn('state', PLACED);
    return rows.map(row => ({
      ...toSchedulable(row),
      cluster: row.cluster!,
      state: row.state,
    }));
  }

  async placedTotalsByOrganization(): Promise<Map<string, ClusterResources>> {
    const rows: Array<Record<string, string | number>> = await this.db(
      'deployments',
    )
      .whereIn('state', PLACED)
      .groupBy('organization')
      .select('organization')
      .select({
        cpu: this.db.raw('sum(?? * ??)', ['replicas', 'cpu_millicores']),
        memory: this.db.raw('sum(?? * ??)', ['replicas', 'memory_mib']),
        gpus: this.db.raw('sum(?? * ??)', ['replicas', 'gpus']),
      });
    // PostgreSQL sums integers as bigint, which pg returns as strings.
    return new Map(
      rows.map(row => [
        String(row.organization),
        {
          cpuMillicores: Number(row.cpu),
          memoryMib: Number(row.memory),
          gpus: Number(row.gpus),
        },
      ]),
    );
  }

  async admit(
    deployment: SchedulableDeployment,
    cluster: string,
    at: Date,
  ): Promise<AdmissionResult> {
    return this.inTransaction(tx =>
      this.admitWithin(tx, deployment, cluster, at),
    );
  }

  async admitAll(
    placements: Array<{ deployment: SchedulableDeployment; cluster: string }>,
    at: Date,
  ): Promise<boolean> {
    const ordered = [...placements].sort((a, b) =>
      a.deployment.id.localeCompare(b.deployment.id),
    );
    const byCluster = new Map<string, SchedulableDeployment[]>();
    for (const { deployment, cluster } of ordered) {
      byCluster.set(cluster, [...(byCluster.get(cluster) ?? []), deployment]);
    }
    const clusterNames = [...byCluster.keys()].sort();
    const result = await this.inTransaction(async tx => {
      for (const name of clusterNames) {
        const ids = byCluster.get(name)!.map(d => d.id);
        for (let i = 0; i < ids.length; i += BATCH_ROWS) {
          const chunk = ids.slice(i, i + BATCH_ROWS);
          const claimed = await tx('deployments')
            .whereIn('id', chunk)
            .andWhere('state', 'queued')
            .update({
              state: 'admitted',
              cluster: name,
              reason: null,
              updated_at: at.toISOString(),
            });
          if (claimed !== chunk.length) {
            throw new Rollback({ type: 'gone' });
          }
        }
      }
      try {
        await this.quotas.reserveAll(
          tx,
          ordered.map(({ deployment }) => ({
            organization: deployment.organization,
            team: deployment.team,
            subject: deploymentSubject(deployment.id),
            amounts: deploymentQuotaAmounts(deployment),
          })),
        );
      } catch (error) {
        if (error instanceof ConflictError) {
          throw new Rollback({ type: 'no-quota', message: error.message });
        }
        throw error;
      }
      for (const name of clusterNames) {
        const totals = byCluster
          .get(name)!
          .map(deploymentTotals)
          .reduce((sum, t) => ({
            cpuMillicores: sum.cpuMillicores + t.cpuMillicores,
            memoryMib: sum.memoryMib + t.memoryMib,
            gpus: sum.gpus + t.gpus,
          }));
        if (!(await this.clusters.allocate(tx, name, totals))) {
          throw new Rollback({ type: 'no-capacity' });
        }
      }
      for (let i = 0; i < ordered.length; i += BATCH_ROWS) {
        await tx('deployment_events').insert(
          ordered.slice(i, i + BATCH_ROWS).map(({ deployment, cluster }) => ({
            deployment_id: deployment.id,
            type: 'admitted',
            message: `Admitted onto ${cluster}`,
            actor: null,
            created_at: at.getTime(),
          })),
        );
      }
      return { type: 'admitted' };
    });
    return result.type === 'admitted';
  }

  async preemptAndAdmit(
    deployment: SchedulableDeployment,
    cluster: string,
    victims: PlacedDeployment[],
    at: Date,
  ): Promise<AdmissionResult> {
    // Locks in the one order every transaction here takes: deployment rows (the candidate,
    // then victims by id), the organization's quota rows, then cluster rows by name.
    const ordered = [...victims].sort((a, b) => a.id.localeCompare(b.id));
    return this.inTransaction(async tx => {
      await this.claim(tx, deployment, cluster, at);
      for (const victim of ordered) {
        const requeued = await tx('deployments')
          .where({ id: victim.id, cluster: victim.cluster })
          .whereIn('state', PLACED)
          .update({
            state: 'queued',
            cluster: null,
            preemptions: tx.raw('?? + 1', ['preemptions']),
            reason: `Preempted by ${deployment.id} (priority ${deployment.priority})`,
            updated_at: at.toISOString(),
          });
        if (requeued !== 1) {
          throw new Rollback({ type: 'gone' });
        }
      }
      // Quota rows organization by organization, in name order, as every transaction does.
      const organizations = [
        ...new Set([
          deployment.organization,
          ...ordered.map(v => v.organization),
        ]),
      ].sort();
      for (const organization of organizations) {
        for (const victim of ordered.filter(
          v => v.organization === organization,
        )) {
          await this.quotas.release(tx, deploymentSubject(victim.id));
        }
        if (organization === deployment.organization) {
          await this.reserveQuota(tx, deployment);
        }
      }

      const clusterNames = [
        ...new Set([cluster, ...ordered.map(v => v.cluster)]),
      ].sort();
      for (const name of clusterNames) {
        for (const victim of ordered.filter(v => v.cluster === name)) {
          await this.clusters.release(tx, name, deploymentTotals(victim));
        }
        if (name === cluster) {
          await this.allocate(tx, deployment, cluster);
        }
      }
      for (const victim of ordered) {
        await recordEvent(
          tx,
          victim.id,
          {
            type: 'preempted',
            message: `Preempted on ${
              victim.cluster
            } to make room for deployment ${deployment.id} of ${
              deployment.organization
            } (priority ${deployment.priority})${
              victim.organization === deployment.organization
                ? ''
                : ', reclaiming capacity borrowed beyond its fair share'
            }; requeued in its old place`,
          },
          at,
        );
      }
      await recordAdmission(tx, deployment, cluster, at);
      return { type: 'admitted' };
    });
  }

  async evacuate(cluster: string, at: Date): Promise<number> {
    const rows = await this.db<RawDeploymentRow>('deployments')
      .where({ cluster })
      .whereIn('state', PLACED);
    let moved = 0;
    for (const row of rows) {
      const requeued = await inRetriedTransaction(this.db, async tx => {
        const changed = await tx('deployments')
          .where({ id: row.id, cluster })
          .whereIn('state', PLACED)
          .update({
            state: 'queued',
            cluster: null,
            reason: `Moved off ${cluster}, which is draining`,
            updated_at: at.toISOString(),
          });
        if (changed !== 1) {
          return false;
        }
        await this.releaseWithin(tx, toSchedulable(row), cluster);
        await recordEvent(
          tx,
          row.id,
          {
            type: 'drained',
            message: `Requeued because ${cluster} is draining; it keeps its place in the queue`,
          },
          at,
        );
        return true;
      });
      if (requeued) {
        moved += 1;
      }
    }
    return moved;
  }

  async stop(id: string, event: EventInput, at: Date): Promise<Deployment> {
    await inRetriedTransaction(this.db, async tx => {
      const row = await this.requireRow(tx, id);
      if (row.state === 'stopped' || row.state === 'failed') {
        throw new ConflictError(
          `Deployment ${row.name} is already ${row.state}`,
        );
      }
      const changed = await tx('deployments')
        .where({ id, state: row.state })
        .update({
          state: 'stopped',
          cluster: null,
          reason: null,
          approval_id: null,
          updated_at: at.toISOString(),
        });
      if (changed !== 1) {
        throw changedMeanwhile(row.name);
      }
      if (row.cluster) {
        await this.releaseWithin(tx, toSchedulable(row), row.cluster);
      }
      await recordEvent(tx, id, event, at);
    });
    return (await this.get(id))!;
  }

  async restart(
    id: string,
    event: EventInput,
    at: Date,
    hold?: ApprovalHold,
  ): Promise<Deployment> {
    await inRetriedTransaction(this.db, async tx => {
      const row = await this.requireRow(tx, id);
      if (row.state !== 'stopped' && row.state !== 'failed') {
        throw new ConflictError(
          `Deployment ${row.name} is ${row.state}; only stopped or failed deployments start again`,
        );
      }
      const changed = await tx('deployments')
        .where({ id, state: row.state })
        .update({
          state: hold ? 'pending-approval' : 'queued',
          approval_id: hold?.approvalId ?? null,
          queued_at: at.getTime(),
          reason: null,
          updated_at: at.toISOString(),
        });
      if (changed !== 1) {
        throw changedMeanwhile(row.name);
      }
      await recordEvent(tx, id, event, at);
      await hold?.open(tx);
    });
    return (await this.get(id))!;
  }

  async remove(id: string): Promise<Deployment> {
    let removed: Deployment | undefined;
    await inRetriedTransaction(this.db, async tx => {
      let row = await this.requireRow(tx, id);
      // A scheduler on another replica may admit or requeue it between the read and the
      // delete; read again and delete what it has become, releasing what that holds.
      for (let attempt = 1; ; attempt++) {
        const deleted = await tx('deployments')
          .where({ id, state: row.state })
          .delete();
        if (deleted === 1) {
          break;
        }
        if (attempt >= 3) {
          throw changedMeanwhile(row.name);
        }
        row = await this.requireRow(tx, id);
      }
      if (row.cluster) {
        await this.releaseWithin(tx, toSchedulable(row), row.cluster);
      }
      removed = toDeployment(row);
    });
    return removed!;
  }

  async settleApproval(
    tx: Knex.Transaction,
    id: string,
    approvalId: string,
    outcome: 'queued' | 'failed',
    event: EventInput,
    at: Date,
  ) {
    const changed = await tx('deployments')
      .where({ id, state: 'pending-approval', approval_id: approvalId })
      .update({
        state: outcome,
        approval_id: null,
        queued_at: at.getTime(),
        reason: outcome === 'failed' ? event.message : null,
        updated_at: at.toISOString(),
      });
    if (changed !== 1) {
      throw new ConflictError(
        'The deployment no longer waits for this approval; it was stopped or deleted',
      );
    }
    await recordEvent(tx, id, event, at);
  }

  async setWaitingReasons(reasons: Map<string, string>) {
    for (const [id, reason] of reasons) {
      await this.db('deployments')
        .where({ id, state: 'queued' })
        .andWhere(q => q.whereNull('reason').orWhereNot('reason', reason))
        .update({ reason });
    }
  }

  async events(id: string): Promise<DeploymentEvent[]> {
    const rows = await this.db<RawEventRow>('deployment_events')
      .where({ deployment_id: id })
      .orderBy('id');
    return rows.map(toEvent);
  }

  async eventsPage(
    id: string,
    page: PageRequest,
  ): Promise<Page<DeploymentEvent>> {
    const { rows, nextCursor } = await selectPage<RawEventRow>(
      this.db('deployment_events').where({ deployment_id: id }),
      {
        list: 'deployment-events',
        columns: [{ column: 'id', type: 'integer' }],
        page,
      },
    );
    return { items: rows.map(toEvent), nextCursor };
  }

  async countAdmissions(since: Date): Promise<number> {
    const [{ count }] = await this.db('deployment_events')
      .where({ type: 'admitted' })
      .andWhere('created_at', '>=', since.getTime())
      .count({ count: '*' });
    return Number(count);
  }

  private async admitWithin(
    tx: Knex.Transaction,
    deployment: SchedulableDeployment,
    cluster: string,
    at: Date,
  ): Promise<AdmissionResult> {
    await this.claim(tx, deployment, cluster, at);
    await this.reserveQuota(tx, deployment);
    await this.allocate(tx, deployment, cluster);
    await recordAdmission(tx, deployment, cluster, at);
    return { type: 'admitted' };
  }

  /** Moves it from queued to admitted; the guard makes concurrent admissions lose here. */
  private async claim(
    tx: Knex.Transaction,
    deployment: SchedulableDeployment,
    cluster: string,
    at: Date,
  ) {
    const claimed = await tx('deployments')
      .where({ id: deployment.id, state: 'queued' })
      .update({
        state: 'admitted',
        cluster,
        reason: null,
        updated_at: at.toISOString(),
      });
    if (claimed !== 1) {
      throw new Rollback({ type: 'gone' });
    }
  }

  private async reserveQuota(
    tx: Knex.Transaction,
    deployment: SchedulableDeployment,
  ) {
    try {
      await this.quotas.reserve(tx, {
        organization: deployment.organization,
        team: deployment.team,
        subject: deploymentSubject(deployment.id),
        amounts: deploymentQuotaAmounts(deployment),
      });
    } catch (error) {
      if (error instanceof ConflictError) {
        throw new Rollback({ type: 'no-quota', message: error.message });
      }
      throw error;
    }
  }

  private async allocate(
    tx: Knex.Transaction,
    deployment: SchedulableDeployment,
    cluster: string,
  ) {
    if (
      !(await this.clusters.allocate(tx, cluster, deploymentTotals(deployment)))
    ) {
      throw new Rollback({ type: 'no-capacity' });
    }
  }

  private async releaseWithin(
    tx: Knex.Transaction,
    deployment: SchedulableDeployment,
    cluster: string,
  ) {
    await this.quotas.release(tx, deploymentSubject(deployment.id));
    await this.clusters.release(tx, cluster, deploymentTotals(deployment));
  }

  /** Runs `fn` in a transaction; a Rollback it throws undoes everything and becomes its result. */
  private async inTransaction(
    fn: (tx: Knex.Transaction) => Promise<AdmissionResult>,
  ): Promise<AdmissionResult> {
    let result: AdmissionResult | undefined;
    try {
      await inRetriedTransaction(this.db, async tx => {
        result = await fn(tx);
        if (result.type !== 'admitted') {
          throw new Rollback(result);
        }
      });
    } catch (error) {
      if (error instanceof Rollback) {
        return error.result;
      }
      throw error;
    }
    return result!;
  }

  private async requireRow(tx: Knex.Transaction, id: string) {
    const row = await tx<RawDeploymentRow>('deployments').where({ id }).first();
    if (!row) {
      throw new NotFoundError(`No deployment with id '${id}'`);
    }
    return row;
  }
}

function changedMeanwhile(name: string) {
  return new ConflictError(
    `Deployment ${name} changed while this request ran; try again`,
  );
}

async function recordAdmission(
  tx: Knex.Transaction,
  deployment: SchedulableDeployment,
  cluster: string,
  at: Date,
) {
  await recordEvent(
    tx,
    deployment.id,
    { type: 'admitted', message: `Admitted onto ${cluster}` },
    at,
  );
}

async function recordEvent(
  tx: Knex.Transaction,
  deploymentId: string,
  event: EventInput,
  at: Date,
) {
  await tx('deployment_events').insert({
    deployment_id: deploymentId,
    type: event.type,
    message: event.message,
    actor: event.actor ?? null,
    created_at: at.getTime(),
  });
}

function toEvent(row: RawEventRow): DeploymentEvent {
  return {
    id: row.id,
    deploymentId: row.deployment_id,
    type: row.type,
    message: row.message,
    ...(row.actor ? { actor: row.actor } : {}),
    createdAt: new Date(Number(row.created_at)).toISOString(),
  };
}

function parsePlacement(raw: string): Record<string, string> {
  return JSON.parse(raw);
}

function toSchedulable(row: RawDeploymentRow): SchedulableDeployment {
  return {
    id: row.id,
    organization: row.organization,
    team: row.team,
    replicas: row.replicas,
    resources: {
      cpuMillicores: row.cpu_millicores,
      memoryMib: row.memory_mib,
      gpus: row.gpus,
    },
    ...(row.gpu_type ? { gpuType: row.gpu_type } : {}),
    priority: row.priority,
    placement: parsePlacement(row.placement),
    // PostgreSQL returns bigint as a string.
    queuedAt: Number(row.queued_at),
    ...(row.reason ? { reason: row.reason } : {}),
  };
}

function toDeployment(row: RawDeploymentRow): Deployment {
  return {
    id: row.id,
    organization: row.organization,
    team: row.team,
    name: row.name,
    image: row.image,
    replicas: row.replicas,
    resources: {
      cpuMillicores: row.cpu_millicores,
      memoryMib: row.memory_mib,
      gpus: row.gpus,
    },
    ...(row.gpu_type ? { gpuType: row.gpu_type } : {}),
    priorityClass: row.priority_class,
    priority: row.priority,
    placement: parsePlacement(row.placement),
    ...(row.writable_root_filesystem ? { writableRootFilesystem: true } : {}),
    state: row.state,
    ...(row.cluster ? { cluster: row.cluster } : {}),
    preemptions: row.preemptions,
    ...(row.approval_id ? { approvalId: row.approval_id } : {}),
    ...(row.reason ? { reason: row.reason } : {}),
    createdBy: row.created_by,
    createdAt: toIsoTimestamp(row.created_at),
    updatedAt: toIsoTimestamp(row.updated_at),
  };
}
