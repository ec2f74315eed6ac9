import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { PaasResourceProvider } from './types';
import { PaasWorkloadRuntime } from './workloads';

/** Lets backend modules add resource providers to the Paasport backend. @public */
export interface PaasProvidersExtensionPoint {
  addProvider(...providers: PaasResourceProvider[]): void;
  /**
   * Sets what runs admitted deployments on clusters. At most one runtime may be set;
   * without one, admitted deployments stay `admitted`.
   */
  setWorkloadRuntime?(runtime: PaasWorkloadRuntime): void;
}

/** @public */
export const paasProvidersExtensionPoint =
  createExtensionPoint<PaasProvidersExtensionPoint>({
    id: 'paas.providers',
  });
