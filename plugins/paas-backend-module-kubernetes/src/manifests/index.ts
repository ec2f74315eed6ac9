export {
  buildNamespaceManifests,
  NAMESPACE_OBJECT_NAMES,
  NVIDIA_GPU_RESOURCE,
} from './namespaceManifests';
export { buildWorkloadManifests } from './workloadManifests';
export {
  LABEL_APP_NAME,
  LABEL_ENVIRONMENT,
  LABEL_MANAGED_BY,
  LABEL_ORGANIZATION,
  LABEL_RESOURCE_ID,
  LABEL_TEAM,
  MANAGED_BY_PAASPORT,
  NODE_LABEL_GPU_TYPE,
  toLabelValue,
} from './labels';
export { manifestToYaml, manifestsToYaml } from './yaml';
export type {
  ContainerDefaults,
  KubernetesManifest,
  NamespaceManifestsInput,
  NamespaceQuota,
  WorkloadManifestsInput,
} from './types';
