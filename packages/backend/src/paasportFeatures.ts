import paasBackend from '@paasport/plugin-paas-backend';
import paasAwsModule from '@paasport/plugin-paas-backend-module-aws';
import paasKubernetesModule from '@paasport/plugin-paas-backend-module-kubernetes';
import scaffolderPaasModule from '@paasport/plugin-scaffolder-backend-module-paas';
import catalogPaasModule from '@paasport/plugin-catalog-backend-module-paas';
import paasPolicyModule from '@paasport/plugin-permission-backend-module-paas-policy';

/**
 * The Paasport plugins and modules this backend runs, in one list so that the backend test
 * starts exactly what `npm start` does.
 */
export function paasportFeatures() {
  return [
    paasBackend,
    paasAwsModule,
    paasKubernetesModule,
    scaffolderPaasModule,
    catalogPaasModule,
    // Decides every paas.* permission; other plugins' permissions fall through to its default
    // (see plugins/permission-backend-module-paas-policy/README.md).
    paasPolicyModule,
  ];
}
