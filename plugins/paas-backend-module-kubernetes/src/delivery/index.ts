export { DirectApplyManifestSink } from './DirectApplyManifestSink';
export type { DirectApplyManifestSinkOptions } from './DirectApplyManifestSink';
export { GitOpsManifestSink } from './GitOpsManifestSink';
export type { GitOpsManifestSinkOptions } from './GitOpsManifestSink';
export { KubernetesApiError } from './KubernetesApiClient';
export type { KubernetesClusterConnection } from './KubernetesApiClient';
export type { DeliveredManifests, ManifestSink, ManifestTarget } from './types';
