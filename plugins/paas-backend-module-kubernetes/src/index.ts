/**
 * Paasport resource provider and workload runtime for Kubernetes: team namespaces with
 * quotas, container defaults, network isolation and the team's access, and the Deployments
 * of admitted workloads, delivered through GitOps or by server-side apply.
 *
 * @packageDocumentation
 */

export { paasModuleKubernetes as default } from './module';
export { KubernetesNamespaceProvider } from './KubernetesNamespaceProvider';
export type { KubernetesNamespaceProviderOptions } from './KubernetesNamespaceProvider';
export { KubernetesWorkloadRuntime } from './KubernetesWorkloadRuntime';
export type { KubernetesWorkloadRuntimeOptions } from './KubernetesWorkloadRuntime';
export * from './delivery';
export * from './manifests';
