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

// package.json names this resolver together with an explicit jest `id`: the Backstage CLI
// derives project ids from the transform alone, and under `backstage-cli repo test` projects
// sharing an id share one resolver, so without its own id this package's would be ignored.
