export {
  buildNamespaceManifests,
  NAMESPACE_OBJECT_NAMES,
  NVIDIA_GPU_RESOURCE,
} from './namespaceManifests';
export {
  LABEL_ENVIRONMENT,
  LABEL_MANAGED_BY,
  LABEL_ORGANIZATION,
  LABEL_RESOURCE_ID,
  LABEL_TEAM,
  MANAGED_BY_PAASPORT,
  toLabelValue,
} from './labels';
export { manifestToYaml, manifestsToYaml } from './yaml';
export type {
  ContainerDefaults,
  KubernetesManifest,
  NamespaceManifestsInput,
  NamespaceQuota,
} from './types';
