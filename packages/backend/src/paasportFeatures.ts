/**
 * The Paasport plugins and modules this backend runs, in one list so that the backend test
 * starts exactly what `npm start` does.
 */
export function paasportFeatures() {
  return [
    import('@paasport/plugin-paas-backend'),
    import('@paasport/plugin-paas-backend-module-aws'),
    import('@paasport/plugin-paas-backend-module-kubernetes'),
    import('@paasport/plugin-scaffolder-backend-module-paas'),
    import('@paasport/plugin-catalog-backend-module-paas'),
    // Decides every paas.* permission; other plugins' permissions fall through to its default
    // (see plugins/permission-backend-module-paas-policy/README.md).
    import('@paasport/plugin-permission-backend-module-paas-policy'),
  ];
}
