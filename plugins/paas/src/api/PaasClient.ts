import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  CreateOrganizationRequest,
  Organization,
  PaasHealth,
} from '@paasport/plugin-paas-common';
import { PaasApi } from './PaasApi';

/**
 * The default {@link PaasApi}: talks to the `paas` backend plugin over HTTP.
 *
 * @public
 */
export class PaasClient implements PaasApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async getHealth(): Promise<PaasHealth> {
    return this.request<PaasHealth>('/health');
  }

  async listOrganizations(): Promise<Organization[]> {
    const body = await this.request<{ items: Organization[] }>(
      '/organizations',
    );
    return body.items;
  }

  async getOrganization(name: string): Promise<Organization> {
    return this.request<Organization>(
      `/organizations/${encodeURIComponent(name)}`,
    );
  }

  async createOrganization(
    request: CreateOrganizationRequest,
  ): Promise<Organization> {
    return this.request<Organization>('/organizations', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(request),
    });
  }

  private async request<T>(path: string, init?: RequestInit): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('paas');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
