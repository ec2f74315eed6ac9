import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  CreateOrganizationRequest,
  Organization,
  PaasHealth,
} from '@paasport/plugin-paas-common';

/**
 * Client for the Paasport backend (`/api/paas`).
 *
 * @public
 */
export interface PaasApi {
  /** Database reachability and the resource kinds that have a provider installed. */
  getHealth(): Promise<PaasHealth>;
  /** Every organization the signed-in user may read. */
  listOrganizations(): Promise<Organization[]>;
  /** One organization; rejects with a 404 `ResponseError` when it does not exist. */
  getOrganization(name: string): Promise<Organization>;
  /** Creates an organization, or adopts an existing catalog group when `groupRef` is set. */
  createOrganization(request: CreateOrganizationRequest): Promise<Organization>;
}

/**
 * Reference to the {@link PaasApi}.
 *
 * @public
 */
export const paasApiRef = createApiRef<PaasApi>().with({
  id: 'plugin.paas.service',
  pluginId: 'paas',
});
