import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { PaasClient, PaasService } from './PaasClient';

/**
 * The Paasport backend's API for other backend plugins (scaffolder actions, catalog
 * providers), over HTTP with service-to-service auth.
 * @public
 */
export const paasServiceRef = createServiceRef<PaasService>({
  id: 'paas.client',
  scope: 'plugin',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { discovery: coreServices.discovery, auth: coreServices.auth },
      factory: ({ discovery, auth }) => new PaasClient({ discovery, auth }),
    }),
});
