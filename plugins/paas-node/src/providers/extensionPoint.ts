import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { PaasResourceProvider } from './types';

/** Lets backend modules add resource providers to the Paasport backend. @public */
export interface PaasProvidersExtensionPoint {
  addProvider(...providers: PaasResourceProvider[]): void;
}

/** @public */
export const paasProvidersExtensionPoint =
  createExtensionPoint<PaasProvidersExtensionPoint>({
    id: 'paas.providers',
  });
