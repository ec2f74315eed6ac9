/**
 * Paasport resource provider for Kubernetes: team namespaces with quotas, container
 * defaults, network isolation and the team's access, delivered through GitOps.
 *
 * @packageDocumentation
 */

export { paasModuleKubernetes as default } from './module';
export { KubernetesNamespaceProvider } from './KubernetesNamespaceProvider';
export type { KubernetesNamespaceProviderOptions } from './KubernetesNamespaceProvider';
export * from './delivery';
export * from './manifests';
