import { createBackend } from '@backstage/backend-defaults';
import { paasportFeatures } from './paasportFeatures';

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

backend.add(import('@backstage/plugin-scaffolder-backend'));

backend.add(import('@backstage/plugin-permission-backend'));

backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));

backend.add(import('@backstage/plugin-user-settings-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

for (const feature of paasportFeatures()) {
  backend.add(feature);
}
// S3 and DynamoDB emulators on loopback when paas.aws.emulators is set, as in the embedded
// default; a fixture of this app like the guest provider, so not one of paasportFeatures().
backend.add(import('./awsEmulators'));

backend.start();
