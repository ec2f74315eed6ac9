import type { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import type { LimitRange } from 'kubernetes-models/v1/LimitRange';
import type { Namespace } from 'kubernetes-models/v1/Namespace';
import type { ResourceQuota } from 'kubernetes-models/v1/ResourceQuota';
import type { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';

/** The kubernetes-models classes the manifest builders use. */
export interface KubernetesModels {
  Namespace: typeof Namespace;
  ResourceQuota: typeof ResourceQuota;
  LimitRange: typeof LimitRange;
  NetworkPolicy: typeof NetworkPolicy;
  RoleBinding: typeof RoleBinding;
  Deployment: typeof Deployment;
}

let loading: Promise<KubernetesModels> | undefined;

/**
 * Loads the model classes once per process.
 *
 * kubernetes-models is published as ES modules only, with `import`-only package exports,
 * so this CommonJS package cannot `require` it; Backstage leaves `import()` untouched in
 * Node packages, and that is how the backend loads it. (Jest cannot run `import()` without
 * `--experimental-vm-modules`, so `src/setupTests.ts` stands in for this function there.)
 */
export function loadKubernetesModels(): Promise<KubernetesModels> {
  loading ??= Promise.all([
    import('kubernetes-models/v1/Namespace'),
    import('kubernetes-models/v1/ResourceQuota'),
    import('kubernetes-models/v1/LimitRange'),
    import('kubernetes-models/networking.k8s.io/v1/NetworkPolicy'),
    import('kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding'),
    import('kubernetes-models/apps/v1/Deployment'),
  ]).then(
    ([
      namespace,
      quota,
      limitRange,
      networkPolicy,
      roleBinding,
      deployment,
    ]) => ({
      Namespace: namespace.Namespace,
      ResourceQuota: quota.ResourceQuota,
      LimitRange: limitRange.LimitRange,
      NetworkPolicy: networkPolicy.NetworkPolicy,
      RoleBinding: roleBinding.RoleBinding,
      Deployment: deployment.Deployment,
    }),
    error => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}
