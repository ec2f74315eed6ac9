import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  Cluster,
  ClusterResources,
  ClusterSource,
  ClusterState,
  MAX_CLUSTER_CAPACITY,
} from '@paasport/plugin-paas-common';
import { Knex } from 'knex';
import { toIsoTimestamp } from './timestamps';

type RawClusterRow = {
  name: string;
  title: string;
  cpu_millicores: number;
  memory_mib: number;
  gpus: number;
  gpu_type: string | null;
  cpu_allocated: number;
  memory_allocated: number;
  gpus_allocated: number;
  labels: string;
  state: ClusterState;
  source: ClusterSource;
  created_by: string;
  created_at: Date | string;
  updated_at: Date | string;
};

/** Each dimension: its API name, capacity column and allocated column. */
const DIMENSIONS = [
  ['cpuMillicores', 'cpu_millicores', 'cpu_allocated'],
  ['memoryMib', 'memory_mib', 'memory_allocated'],
  ['gpus', 'gpus', 'gpus_allocated'],
] as const;

/** A new cluster. */
export interface NewCluster {
  name: string;
  title: string;
  capacity: ClusterResources;
  gpuType?: string;
  labels: Record<string, string>;
  state: ClusterState;
  source: ClusterSource;
  createdBy: string;
}

/** What changes of a cluster; what is undefined stays. A gpuType of null removes it. */
export interface ClusterChange {
  title?: string;
  capacity?: Partial<ClusterResources>;
  gpuType?: string | null;
  labels?: Record<string, string>;
  state?: ClusterState;
}

/** Clusters, their capacity and what is allocated of it. */
export interface ClusterStore {
  /** Every cluster, by name. */
  list(): Promise<Cluster[]>;
  /** Undefined for an unknown name. */
  get(name: string): Promise<Cluster | undefined>;
  /** Throws ConflictError when the name is taken. */
  register(cluster: NewCluster): Promise<Cluster>;
  /**
   * Throws NotFoundError for an unknown name and ConflictError, naming each dimension, when
   * a capacity would drop below what is allocated of it.
   */
  update(name: string, change: ClusterChange): Promise<Cluster>;
  /** Throws NotFoundError for an unknown name and ConflictError while anything is allocated. */
  remove(name: string): Promise<void>;
  /**
   * Allocates every amount or none, on a ready cluster only; returns whether it fit.
   * Atomic without locks, so concurrent callers never over-allocate. Within `tx` when given.
   * Throws NotFoundError for an unknown name.
   */
  allocate(
    tx: Knex.Transaction | undefined,
    name: string,
    amounts: ClusterResources,
  ): Promise<boolean>;
  /**
   * Gives amounts back, whatever the cluster's state. Throws NotFoundError for an unknown
   * name, and an Error when more would be released than is allocated.
   */
  release(
    tx: Knex.Transaction | undefined,
    name: string,
    amounts: ClusterResources,
  ): Promise<void>;
}

/** ClusterStore on Backstage's database (PostgreSQL or SQLite). */
export class DatabaseClusterStore implements ClusterStore {
  constructor(private readonly db: Knex) {}

  async list(): Promise<Cluster[]> {
    const rows = await this.db<RawClusterRow>('clusters').orderBy('name');
    return rows.map(toCluster);
  }

  async get(name: string): Promise<Cluster | undefined> {
    const row = await this.db<RawClusterRow>('clusters')
      .where({ name })
      .first();
    return row ? toCluster(row) : undefined;
  }

  async register(cluster: NewCluster): Promise<Cluster> {
    for (const [field] of DIMENSIONS) {
      checkAmount(cluster.capacity[field], field);
    }
    const inserted = await this.db('clusters')
      .insert({
        name: cluster.name,
        title: cluster.title,
        cpu_millicores: cluster.capacity.cpuMillicores,
        memory_mib: cluster.capacity.memoryMib,
        gpus: cluster.capacity.gpus,
        gpu_type: cluster.gpuType ?? null,
        labels: JSON.stringify(cluster.labels),
        state: cluster.state,
        source: cluster.source,
        created_by: cluster.createdBy,
      })
      .onConflict('name')
      .ignore()
      .returning('name');
    if (inserted.length === 0) {
      throw new ConflictError(
        `A cluster named '${cluster.name}' already exists`,
      );
    }
    return (await this.get(cluster.name))!;
  }

  async update(name: string, change: ClusterChange): Promise<Cluster> {
    const columns: Record<string, unknown> = {};
    let guarded = this.db('clusters').where({ name });
    for (const [field, capacity, allocated] of DIMENSIONS) {
      const amount = change.capacity?.[field];
      if (amount !== undefined) {
        checkAmount(amount, field);
        columns[capacity] = amount;
        guarded = guarded.andWhere(allocated, '<=', amount);
      }
    }
    if (change.title !== undefined) {
      columns.title = change.title;
    }
    if (change.gpuType !== undefined) {
      columns.gpu_type = change.gpuType;
    }
    if (change.labels !== undefined) {
      columns.labels = JSON.stringify(change.labels);
    }
    if (change.state !== undefined) {
      columns.state = change.state;
    }
    const changed = await guarded.update({
      ...columns,
      updated_at: this.db.fn.now(),
    });
    if (changed === 1) {
      return (await this.get(name))!;
    }

    const current = await this.get(name);
    if (!current) {
      throw notFound(name);
    }
    const shortfalls = DIMENSIONS.flatMap(([field]) => {
      const asked = change.capacity?.[field];
      const allocated = current.allocated[field];
      return asked !== undefined && asked < allocated
        ? [`${field} to ${asked}: ${allocated} is allocated`]
        : [];
    });
    throw new ConflictError(
      shortfalls.length
        ? `Cannot lower the capacity of '${name}' below what is allocated: ${shortfalls.join(
            '; ',
          )}`
        : `The allocations of '${name}' changed while it was being updated; try again`,
    );
  }

  async remove(name: string): Promise<void> {
    const deleted = await this.db('clusters')
      .where({ name, cpu_allocated: 0, memory_allocated: 0, gpus_allocated: 0 })
      .delete();
    if (deleted === 1) {
      return;
    }
    const current = await this.get(name);
    if (!current) {
      throw notFound(name);
    }
    const { cpuMillicores, memoryMib, gpus } = current.allocated;
    throw new ConflictError(
      `Cannot remove '${name}' while ${cpuMillicores} CPU millicores, ${memoryMib} MiB of memory ` +
        `and ${gpus} GPUs are allocated on it; cordon or drain it first`,
    );
  }

  async allocate(
    tx: Knex.Transaction | undefined,
    name: string,
    amounts: ClusterResources,
  ): Promise<boolean> {
    const db = tx ?? this.db;
    let guarded = db('clusters').where({ name, state: 'ready' });
    const increments: Record<string, Knex.Raw> = {};
    for (const [field, capacity, allocated] of DIMENSIONS) {
      const amount = amounts[field];
      checkAmount(amount, field);
      guarded = guarded.andWhereRaw('?? + ? <= ??', [
        allocated,
        amount,
        capacity,
      ]);
      increments[allocated] = db.raw('?? + ?', [allocated, amount]);
    }
    const changed = await guarded.update(increments);
    if (changed === 1) {
      return true;
    }
    if (!(await db('clusters').where({ name }).first('name'))) {
      throw notFound(name);
    }
    return false;
  }

  async release(
    tx: Knex.Transaction | undefined,
    name: string,
    amounts: ClusterResources,
  ): Promise<void> {
    const db = tx ?? this.db;
    let guarded = db('clusters').where({ name });
    const decrements: Record<string, Knex.Raw> = {};
    for (const [field, , allocated] of DIMENSIONS) {
      const amount = amounts[field];
      checkAmount(amount, field);
      guarded = guarded.andWhere(allocated, '>=', amount);
      decrements[allocated] = db.raw('?? - ?', [allocated, amount]);
    }
    const changed = await guarded.update(decrements);
    if (changed === 1) {
      return;
    }
    if (!(await db('clusters').where({ name }).first('name'))) {
      throw notFound(name);
    }
    throw new Error(
      `Cluster accounting of '${name}' does not match its allocations: asked to release more than is allocated`,
    );
  }
}

function notFound(name: string) {
  return new NotFoundError(`No cluster named '${name}'`);
}

function checkAmount(amount: number, what: string) {
  if (
    !Number.isInteger(amount) ||
    amount < 0 ||
    amount > MAX_CLUSTER_CAPACITY
  ) {
    throw new InputError(
      `${what} must be a whole number from 0 to ${MAX_CLUSTER_CAPACITY}, not ${amount}`,
    );
  }
}

function ratio(allocated: number, capacity: number): number | null {
  return capacity === 0 ? null : Math.round((allocated / capacity) * 1e4) / 1e4;
}

function toCluster(row: RawClusterRow): Cluster {
  const capacity = {
    cpuMillicores: row.cpu_millicores,
    memoryMib: row.memory_mib,
    gpus: row.gpus,
  };
  const allocated = {
    cpuMillicores: row.cpu_allocated,
    memoryMib: row.memory_allocated,
    gpus: row.gpus_allocated,
  };
  return {
    name: row.name,
    title: row.title,
    capacity,
    allocated,
    free: {
      cpuMillicores: capacity.cpuMillicores - allocated.cpuMillicores,
      memoryMib: capacity.memoryMib - allocated.memoryMib,
      gpus: capacity.gpus - allocated.gpus,
    },
    utilization: {
      cpuMillicores: ratio(allocated.cpuMillicores, capacity.cpuMillicores),
      memoryMib: ratio(allocated.memoryMib, capacity.memoryMib),
      gpus: ratio(allocated.gpus, capacity.gpus),
    },
    ...(row.gpu_type ? { gpuType: row.gpu_type } : {}),
    labels: JSON.parse(row.labels),
    state: row.state,
    source: row.source,
    createdBy: row.created_by,
    createdAt: toIsoTimestamp(row.created_at),
    updatedAt: toIsoTimestamp(row.updated_at),
  };
}
