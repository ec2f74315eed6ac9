import { ResourceCondition } from '@paasport/plugin-paas-common';

/**
 * A deployment the scheduler admitted, as a workload runtime is asked to run it: one
 * container image with replicas × requests, in a namespace on the cluster it was placed on.
 * @public
 */
export interface DesiredWorkload {
  /** Paasport's id of the deployment; runtimes write it into an ownership label. */
  id: string;
  /** Name of the deployment, unique within its team; a DNS label. */
  name: string;
  organization: string;
  team: string;
  /** The cluster the scheduler placed it on. */
  cluster: string;
  /** The namespace it runs in on that cluster. */
  namespace: string;
  image: string;
  replicas: number;
  /** Requests of one replica. */
  resources: {
    cpuMillicores: number;
    memoryMiB: number;
    gpus: number;
    gpuType?: string;
  };
  /** True when the container may write to its root filesystem; read-only otherwise. */
  writableRootFilesystem?: boolean;
  /** Labels every object of the workload carries. */
  labels: Record<string, string>;
}

/** What a runtime reports about a workload it delivered. @public */
export interface ObservedWorkload {
  /** `running` once the cluster (or the GitOps repository) holds the workload as asked. */
  state: 'running' | 'pending' | 'failed';
  /** Where it is, such as `eu-central-general/acme-checkout/deployment/payments-api`. */
  externalId?: string;
  conditions?: ResourceCondition[];
}

/**
 * Runs admitted deployments on clusters and takes stopped ones off. Both methods are
 * idempotent: they are called again after a crash or a restart.
 * @public
 */
export interface PaasWorkloadRuntime {
  /** Short id for logs and events, such as `kubernetes`. */
  readonly id: string;
  /** Creates or updates the workload on its cluster. */
  apply(workload: DesiredWorkload): Promise<ObservedWorkload>;
  /** Removes the workload; succeeds when it is already gone. */
  remove(workload: DesiredWorkload): Promise<void>;
}
