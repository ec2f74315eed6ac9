// kubernetes-models and its @kubernetes-models helpers publish ES modules under the
// `import` export condition only. Jest resolves `require` calls without that condition, so
// this resolver adds it for those packages alone; Jest's transform then compiles them.
// (The backend itself loads them with import(), see src/manifests/kubernetesModels.ts.)
const ESM_ONLY = /^(?:kubernetes-models|@kubernetes-models\/[^/]+)(?:\/|$)/;

module.exports = (request, options) =>
  options.defaultResolver(
    request,
    ESM_ONLY.test(request)
      ? { ...options, conditions: [...(options.conditions ?? []), 'import'] }
      : options,
  );
