/**
 * A Kubernetes object as plain JSON, the way it is written to a file or sent to an API
 * server.
 * @public
 */
export interface KubernetesManifest {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

/**
 * What a team namespace may consume in total, as Kubernetes quantities such as `4`,
 * `500m` or `8Gi`.
 * @public
 */
export interface NamespaceQuota {
  requestsCpu: string;
  requestsMemory: string;
  limitsCpu: string;
  limitsMemory: string;
  /** Most pods that may exist in the namespace at once. */
  pods: number;
  /**
   * NVIDIA GPUs the namespace may request. `0` forbids GPUs; leave it out only on
   * clusters where the quota should not mention GPUs at all.
   */
  gpus?: number;
}

/** Requests and limits a container gets when its pod spec sets none. @public */
export interface ContainerDefaults {
  defaultRequest: { cpu: string; memory: string };
  defaultLimit: { cpu: string; memory: string };
}

/** Everything {@link buildNamespaceManifests} needs to know. @public */
export interface NamespaceManifestsInput {
  /** Name of the namespace: an RFC 1123 label. */
  namespace: string;
  /** Paasport's id of the resource; written into the ownership label. */
  resourceId: string;
  organization: string;
  team: string;
  environment: string;
  /**
   * Prefix of Kubernetes group names, such as `oidc:`; none by default. The team's group
   * that gets `edit` is `<groupPrefix><organization>-<team>`, the name of the team's
   * catalog group, so same-named teams of two organizations never share a namespace.
   */
  groupPrefix?: string;
  quota: NamespaceQuota;
  containerDefaults: ContainerDefaults;
  /** Pinned Pod Security Standards version, such as `v1.33`. */
  podSecurityVersion: string;
  /** Further labels for every object: the resource's tags. Paasport's own labels win. */
  extraLabels?: Record<string, string>;
}

/** Everything {@link buildWorkloadManifests} needs to know. @public */
export interface WorkloadManifestsInput {
  /** Name of the Deployment and its container: a DNS label. */
  name: string;
  /** The tenant namespace it runs in. */
  namespace: string;
  /** Paasport's id of the workload; written into the ownership label. */
  resourceId: string;
  organization: string;
  team: string;
  /** Container image reference, such as `ghcr.io/acme/checkout:1.4.2`. */
  image: string;
  replicas: number;
  /** What each replica gets, as requests and equal limits. */
  resources: {
    cpuMillicores: number;
    memoryMiB: number;
    gpus: number;
    /** GPU model, such as `nvidia-a100`; only with `gpus` above 0. */
    gpuType?: string;
  };
  /**
   * Lets the container write to its root filesystem. By default it is read-only, with an
   * empty directory at `/tmp`.
   */
  writableRootFilesystem?: boolean;
  /** Further labels for the Deployment and its pods. Paasport's own labels win. */
  extraLabels?: Record<string, string>;
}
