import { LoggerService } from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import { boundedPass } from '../boundedPass';
import { CoalescingRunner } from '../coalescingRunner';
import { LoopLiveness } from '../service/LoopMonitor';
import { chooseNamespace } from './deploymentNamespace';
import {
  DesiredWorkload,
  PaasWorkloadRuntime,
} from '@paasport/plugin-paas-node';
import {
  AdmittedDeployment,
  AppliedWorkload,
  WorkloadStore,
} from '../database/WorkloadStore';

const BATCH = 50;

function labelsOf(d: { organization: string; team: string; name: string }) {
  return {
    'paasport.io/managed-by': 'paasport',
    'paasport.io/organization': d.organization,
    'paasport.io/team': d.team,
    'paasport.io/name': d.name,
  };
}

function toDesired(d: AdmittedDeployment, namespace: string): DesiredWorkload {
  return {
    id: d.id,
    name: d.name,
    organization: d.organization,
    team: d.team,
    cluster: d.cluster,
    namespace,
    image: d.image,
    replicas: d.replicas,
    resources: {
      cpuMillicores: d.cpuMillicores,
      memoryMiB: d.memoryMib,
      gpus: d.gpus,
      ...(d.gpuType ? { gpuType: d.gpuType } : {}),
    },
    ...(d.writableRootFilesystem ? { writableRootFilesystem: true } : {}),
    labels: labelsOf(d),
  };
}

/** What removing needs of a workload: where it is and whose it is. */
function toRemoval(w: AppliedWorkload): DesiredWorkload {
  return {
    id: w.deploymentId,
    name: w.name,
    organization: w.organization,
    team: w.team,
    cluster: w.cluster,
    namespace: w.namespace,
    image: '',
    replicas: 0,
    resources: { cpuMillicores: 0, memoryMiB: 0, gpus: 0 },
    labels: labelsOf(w),
  };
}

/** How long a pass may run before it is abandoned and the next may start. */
export const DEFAULT_PASS_BUDGET_MS = 10 * 60_000;

/**
 * Carries the scheduler's decisions to the clusters through the workload runtime: admitted
 * deployments are applied and become `running`; workloads of deployments that were stopped,
 * preempted, moved or deleted are removed. Removal comes first in each pass, so a deployment
 * moved to another cluster never runs on both. Runtime calls are idempotent, so a pass cut
 * short is simply made again.
 */
export class WorkloadRollout {
  private readonly runner: CoalescingRunner;

  constructor(
    private readonly options: {
      store: WorkloadStore;
      runtime: PaasWorkloadRuntime;
      logger: LoggerService;
      clock?: () => Date;
      /** How long a pass may run before it is abandoned; 10 minutes by default. */
      passBudgetMs?: number;
      /** Told of each pass, for health. */
      liveness?: LoopLiveness;
    },
  ) {
    this.runner = new CoalescingRunner(
      boundedPass(() => this.runOnce(), {
        what: 'Workload rollout pass',
        budgetMs: options.passBudgetMs ?? DEFAULT_PASS_BUDGET_MS,
        liveness: options.liveness,
      }),
      error =>
        options.logger.error(
          `Workload rollout pass failed: ${
            isError(error) ? error.message : error
          }`,
        ),
    );
  }

  private now() {
    return (this.options.clock ?? (() => new Date()))();
  }

  /** Runs a pass soon: now if none is running, else once more after the running one. */
  trigger(): Promise<void> {
    return this.runner.trigger();
  }

  /** One pass: removals, then applies. Returns what it did. */
  async runOnce(): Promise<{ removed: number; applied: number }> {
    const { store, runtime, logger } = this.options;
    let removed = 0;
    for (const workload of await store.listOrphaned(BATCH)) {
      try {
        await runtime.remove(toRemoval(workload));
        await store.forget(workload.deploymentId, workload.cluster);
        removed++;
      } catch (error) {
        logger.warn(
          `Could not remove the workload of deployment ${workload.team}/${
            workload.name
          } from ${workload.cluster}: ${
            isError(error) ? error.message : error
          }`,
        );
      }
    }

    let applied = 0;
    for (const deployment of await store.listToApply(BATCH)) {
      const choice = chooseNamespace(
        deployment,
        await store.teamNamespaces(deployment.organization, deployment.team),
      );
      if ('waiting' in choice) {
        await store.recordApplyFailure(
          deployment.id,
          choice.waiting,
          this.now(),
          'waiting',
        );
        continue;
      }
      const desired = toDesired(deployment, choice.namespace);
      try {
        const observed = await runtime.apply(desired);
        if (observed.state === 'running') {
          await store.markApplied(
            {
              deploymentId: desired.id,
              organization: desired.organization,
              team: desired.team,
              name: desired.name,
              cluster: desired.cluster,
              namespace: desired.namespace,
            },
            this.now(),
          );
          applied++;
          continue;
        }
        const reasons = (observed.conditions ?? [])
          .filter(c => c.status !== 'True')
          .map(c => c.message ?? c.reason);
        await store.recordApplyFailure(
          desired.id,
          `${runtime.id} reports the workload as ${observed.state}${
            reasons.length ? `: ${reasons.join('; ')}` : ''
          }`,
          this.now(),
        );
      } catch (error) {
        await store.recordApplyFailure(
          desired.id,
          `Could not apply the workload to ${desired.cluster}: ${
            isError(error) ? error.message : error
          }`,
          this.now(),
        );
      }
    }
    return { removed, applied };
  }
}
