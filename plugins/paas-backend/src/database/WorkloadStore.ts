import { Knex } from 'knex';
import { PLACED_DEPLOYMENT_STATES } from '@paasport/plugin-paas-common';
import { inRetriedTransaction } from './transactions';

/** A workload the runtime holds on a cluster for a deployment. */
export interface AppliedWorkload {
  deploymentId: string;
  organization: string;
  team: string;
  name: string;
  cluster: string;
  namespace: string;
}

type RawWorkloadRow = {
  deployment_id: string;
  organization: string;
  team: string;
  name: string;
  cluster: string;
  namespace: string;
  applied_at: number | string;
};

/** An admitted deployment the runtime should apply. */
export interface AdmittedDeployment {
  id: string;
  organization: string;
  team: string;
  name: string;
  cluster: string;
  image: string;
  replicas: number;
  cpuMillicores: number;
  memoryMib: number;
  gpus: number;
  gpuType?: string;
  placement: Record<string, string>;
  writableRootFilesystem?: boolean;
}

/** A live namespace Paasport provisioned for a team. */
export interface TeamNamespace {
  /** The real namespace's name. */
  externalName: string;
  environment: string;
  /** Undefined only for rows from before namespaces were always placed. */
  cluster?: string;
  phase: string;
}

/** Admitted deployments to apply, and applied workloads to take off their clusters. */
export interface WorkloadStore {
  /**
   * Admitted deployments to apply, oldest first; not those whose workload still sits on
   * another cluster, which must be removed first.
   */
  listToApply(limit: number): Promise<AdmittedDeployment[]>;
  /**
   * Records that the workload is on its cluster and moves the deployment from `admitted` to
   * `running`, in one transaction. False when the deployment was stopped, moved or deleted
   * meanwhile; the workload is recorded either way, so the next pass removes it.
   */
  markApplied(workload: AppliedWorkload, at: Date): Promise<boolean>;
  /**
   * Workloads whose deployment is gone, no longer placed, or placed on another cluster:
   * what the runtime must remove.
   */
  listOrphaned(limit: number): Promise<AppliedWorkload[]>;
  forget(deploymentId: string, cluster: string): Promise<void>;
  /** Notes why applying a deployment failed, once per distinct reason. */
  recordApplyFailure(
    id: string,
    message: string,
    at: Date,
    eventType?: 'apply-failed' | 'waiting',
  ): Promise<void>;
  /** The team's namespaces that are not deleted, oldest first. */
  teamNamespaces(organization: string, team: string): Promise<TeamNamespace[]>;
}

export class DatabaseWorkloadStore implements WorkloadStore {
  constructor(private readonly db: Knex) {}

  async listToApply(limit: number): Promise<AdmittedDeployment[]> {
    const rows = await this.db('deployments as d')
      .leftJoin('deployment_workloads as w', 'w.deployment_id', 'd.id')
      .where('d.state', 'admitted')
      .where(q =>
        q
          .whereNull('w.deployment_id')
          .orWhereRaw('?? = ??', ['w.cluster', 'd.cluster']),
      )
      .orderBy('d.updated_at')
      .limit(limit)
      .select(
        'd.id',
        'd.organization',
        'd.team',
        'd.name',
        'd.cluster',
        'd.image',
        'd.replicas',
        'd.cpu_millicores',
        'd.memory_mib',
        'd.gpus',
        'd.gpu_type',
        'd.placement',
        'd.writable_root_filesystem',
      );
    return rows.map(row => ({
      id: row.id,
      organization: row.organization,
      team: row.team,
      name: row.name,
      cluster: row.cluster,
      image: row.image,
      replicas: row.replicas,
      cpuMillicores: row.cpu_millicores,
      memoryMib: row.memory_mib,
      gpus: row.gpus,
      ...(row.gpu_type ? { gpuType: row.gpu_type } : {}),
      placement: JSON.parse(row.placement),
      ...(row.writable_root_filesystem ? { writableRootFilesystem: true } : {}),
    }));
  }

  async markApplied(workload: AppliedWorkload, at: Date): Promise<boolean> {
    return inRetriedTransaction(this.db, async tx => {
      await tx('deployment_workloads')
        .insert({
          deployment_id: workload.deploymentId,
          organization: workload.organization,
          team: workload.team,
          name: workload.name,
          cluster: workload.cluster,
          namespace: workload.namespace,
          applied_at: at.getTime(),
        })
        .onConflict('deployment_id')
        .merge();
      const changed = await tx('deployments')
        .where({
          id: workload.deploymentId,
          state: 'admitted',
          cluster: workload.cluster,
        })
        .update({
          state: 'running',
          reason: null,
          updated_at: at.toISOString(),
        });
      if (changed !== 1) {
        return false;
      }
      await tx('deployment_events').insert({
        deployment_id: workload.deploymentId,
        type: 'running',
        message: `Running in namespace ${workload.namespace} on ${workload.cluster}`,
        created_at: at.getTime(),
      });
      return true;
    });
  }

  async listOrphaned(limit: number): Promise<AppliedWorkload[]> {
    const rows = await this.db<RawWorkloadRow>('deployment_workloads as w')
      .leftJoin('deployments as d', 'd.id', 'w.deployment_id')
      .where(q =>
        q
          .whereNull('d.id')
          .orWhereNotIn('d.state', PLACED_DEPLOYMENT_STATES as string[])
          .orWhereRaw('?? <> ??', ['d.cluster', 'w.cluster']),
      )
      .orderBy('w.applied_at')
      .limit(limit)
      .select('w.*');
    return rows.map(row => ({
      deploymentId: row.deployment_id,
      organization: row.organization,
      team: row.team,
      name: row.name,
      cluster: row.cluster,
      namespace: row.namespace,
    }));
  }

  async forget(deploymentId: string, cluster: string): Promise<void> {
    await this.db('deployment_workloads')
      .where({ deployment_id: deploymentId, cluster })
      .delete();
  }

  async recordApplyFailure(
    id: string,
    message: string,
    at: Date,
    eventType: 'apply-failed' | 'waiting' = 'apply-failed',
  ) {
    await inRetriedTransaction(this.db, async tx => {
      const changed = await tx('deployments')
        .where({ id, state: 'admitted' })
        .andWhere(q => q.whereNull('reason').orWhereNot('reason', message))
        .update({ reason: message, updated_at: at.toISOString() });
      if (changed === 1) {
        await tx('deployment_events').insert({
          deployment_id: id,
          type: eventType,
          message,
          created_at: at.getTime(),
        });
      }
    });
  }

  async teamNamespaces(
    organization: string,
    team: string,
  ): Promise<TeamNamespace[]> {
    const rows = await this.db('resources')
      .where({ organization, team, kind: 'kubernetes:namespace' })
      .whereNot('phase', 'deleted')
      .orderBy([{ column: 'created_at' }, { column: 'id' }])
      .select('external_name', 'spec', 'phase');
    return rows.map(row => {
      const spec = JSON.parse(row.spec) as {
        environment: string;
        cluster?: string;
      };
      return {
        externalName: row.external_name,
        environment: spec.environment,
        ...(spec.cluster ? { cluster: spec.cluster } : {}),
        phase: row.phase,
      };
    });
  }
}
