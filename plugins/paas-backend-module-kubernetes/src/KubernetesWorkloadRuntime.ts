import { ConflictError, InputError } from '@backstage/errors';
import {
  DesiredWorkload,
  ObservedWorkload,
  PaasWorkloadRuntime,
} from '@paasport/plugin-paas-node';
import { KubernetesApiError, ManifestSink, ManifestTarget } from './delivery';
import { buildWorkloadManifests } from './manifests';

/** Options of {@link KubernetesWorkloadRuntime}. @public */
export interface KubernetesWorkloadRuntimeOptions {
  /** Where the manifests go; the same sink the namespaces use. */
  sink: ManifestSink;
}

function targetOf(workload: DesiredWorkload): ManifestTarget {
  return {
    resourceId: workload.id,
    cluster: workload.cluster,
    namespace: workload.namespace,
  };
}

/**
 * True for refusals that another attempt cannot fix: the workload itself is invalid, or
 * its name is taken by an object Paasport does not own. A conflict reported by the API
 * server (a concurrent change) and everything else (an unreachable cluster, missing
 * permissions) may pass, and is thrown for the caller to retry.
 */
function isPermanentRefusal(error: unknown): error is Error {
  if (error instanceof InputError) {
    return true;
  }
  return (
    error instanceof ConflictError &&
    !(error.cause instanceof KubernetesApiError)
  );
}

/**
 * Runs admitted deployments as Kubernetes Deployments in their team's namespace, delivered
 * through the same {@link ManifestSink} as the namespaces. A workload's objects carry its
 * own id, so it and the namespace it runs in never remove each other's objects.
 * @public
 */
export class KubernetesWorkloadRuntime implements PaasWorkloadRuntime {
  readonly id = 'kubernetes';

  constructor(private readonly options: KubernetesWorkloadRuntimeOptions) {}

  async apply(workload: DesiredWorkload): Promise<ObservedWorkload> {
    const externalId = `${workload.cluster}/${workload.namespace}/deployment/${workload.name}`;
    try {
      const manifests = await buildWorkloadManifests({
        name: workload.name,
        namespace: workload.namespace,
        resourceId: workload.id,
        organization: workload.organization,
        team: workload.team,
        image: workload.image,
        replicas: workload.replicas,
        resources: workload.resources,
        writableRootFilesystem: workload.writableRootFilesystem,
        extraLabels: workload.labels,
      });
      const delivered = await this.options.sink.apply(
        targetOf(workload),
        manifests,
      );
      return { state: 'running', externalId, conditions: delivered.conditions };
    } catch (error) {
      if (!isPermanentRefusal(error)) {
        throw error;
      }
      return {
        state: 'failed',
        externalId,
        conditions: [
          {
            type: 'Applied',
            status: 'False',
            reason: error instanceof InputError ? 'Invalid' : 'Conflict',
            message: error.message,
          },
        ],
      };
    }
  }

  async remove(workload: DesiredWorkload): Promise<void> {
    await this.options.sink.remove(targetOf(workload));
  }
}
