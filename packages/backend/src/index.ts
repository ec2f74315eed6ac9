import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

// Sign-in. The embedded default uses the guest provider; see app-config.production.yaml.
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));
backend.add(import('@paasport/plugin-catalog-backend-module-paas'));

backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@paasport/plugin-scaffolder-backend-module-paas'));

// Paasport governs access to its own routes; other plugins' permissions fall through to the
// policy's default (see plugins/permission-backend-module-paas-policy/README.md).
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('@paasport/plugin-permission-backend-module-paas-policy'));

backend.add(import('@paasport/plugin-paas-backend'));
backend.add(import('@paasport/plugin-paas-backend-module-aws'));
backend.add(import('@paasport/plugin-paas-backend-module-kubernetes'));

backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));

backend.add(import('@backstage/plugin-user-settings-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

backend.start();
