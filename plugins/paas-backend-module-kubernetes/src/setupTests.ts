// The backend loads kubernetes-models (ES modules only) with import(), which Jest cannot
// run without --experimental-vm-modules. In tests the same classes are required instead;
// the `import` export condition in this package's Jest config lets them resolve, and
// kubernetesModels.test.ts checks the real loader in a plain Node process.
jest.mock('./manifests/kubernetesModels', () => {
  const models = {
    Namespace: require('kubernetes-models/v1/Namespace').Namespace,
    ResourceQuota: require('kubernetes-models/v1/ResourceQuota').ResourceQuota,
    LimitRange: require('kubernetes-models/v1/LimitRange').LimitRange,
    NetworkPolicy:
      require('kubernetes-models/networking.k8s.io/v1/NetworkPolicy')
        .NetworkPolicy,
    RoleBinding:
      require('kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding')
        .RoleBinding,
    Deployment: require('kubernetes-models/apps/v1/Deployment').Deployment,
  };
  return { loadKubernetesModels: async () => models };
});
