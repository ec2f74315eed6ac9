export { GitOpsManifestSink } from './GitOpsManifestSink';
export type { GitOpsManifestSinkOptions } from './GitOpsManifestSink';
export type { DeliveredManifests, ManifestSink, ManifestTarget } from './types';
