import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  CreateOrganizationRequest,
  Deployment,
  Membership,
  Organization,
  PaasHealth,
  SubmitDeploymentRequest,
  Team,
} from '@paasport/plugin-paas-common';

/** Options of every call: whose behalf it is made on. @public */
export interface PaasRequestOptions {
  /** The caller's credentials; the calling plugin's own when omitted. */
  credentials?: BackstageCredentials;
}

/** The Paasport backend's API, for other backend plugins. @public */
export interface PaasService {
  getHealth(options?: PaasRequestOptions): Promise<PaasHealth>;
  listOrganizations(options?: PaasRequestOptions): Promise<Organization[]>;
  /** Throws a ResponseError with status 404 when there is no such organization. */
  getOrganization(
    name: string,
    options?: PaasRequestOptions,
  ): Promise<Organization>;
  createOrganization(
    request: CreateOrganizationRequest,
    options?: PaasRequestOptions,
  ): Promise<Organization>;
  /** Throws a ResponseError with status 404 when there is no such organization. */
  listTeams(
    organization: string,
    options?: PaasRequestOptions,
  ): Promise<Team[]>;
  /** The organization's members with their roles and teams; 404 as {@link PaasService.listTeams}. */
  listMembers(
    organization: string,
    options?: PaasRequestOptions,
  ): Promise<Membership[]>;
  /**
   * Submits a deployment for a team of the organization; it comes back `queued`,
   * `pending-approval` or already `admitted`. Throws a ResponseError with status 400 for a
   * bad field, 403, 404 for an unknown organization, or 409 when the team already has a
   * deployment of that name or no cluster or quota could ever hold it.
   */
  submitDeployment(
    organization: string,
    request: SubmitDeploymentRequest,
    options?: PaasRequestOptions,
  ): Promise<Deployment>;
  /** The organization's deployments; 404 as {@link PaasService.listTeams}. */
  listDeployments(
    organization: string,
    options?: PaasRequestOptions,
  ): Promise<Deployment[]>;
  /** One deployment, with its queue position while queued; 404 when there is none. */
  getDeployment(id: string, options?: PaasRequestOptions): Promise<Deployment>;
}

/** HTTP client of the Paasport backend. @public */
export class PaasClient implements PaasService {
  private readonly discovery: DiscoveryService;
  private readonly auth: AuthService;

  constructor(options: { discovery: DiscoveryService; auth: AuthService }) {
    this.discovery = options.discovery;
    this.auth = options.auth;
  }

  getHealth(options?: PaasRequestOptions): Promise<PaasHealth> {
    return this.request('GET', '/health', undefined, options);
  }

  async listOrganizations(
    options?: PaasRequestOptions,
  ): Promise<Organization[]> {
    const body = await this.request<{ items: Organization[] }>(
      'GET',
      '/organizations',
      undefined,
      options,
    );
    return body.items;
  }

  getOrganization(
    name: string,
    options?: PaasRequestOptions,
  ): Promise<Organization> {
    return this.request(
      'GET',
      `/organizations/${encodeURIComponent(name)}`,
      undefined,
      options,
    );
  }

  createOrganization(
    request: CreateOrganizationRequest,
    options?: PaasRequestOptions,
  ): Promise<Organization> {
    return this.request('POST', '/organizations', request, options);
  }

  async listTeams(
    organization: string,
    options?: PaasRequestOptions,
  ): Promise<Team[]> {
    const body = await this.request<{ items: Team[] }>(
      'GET',
      `/organizations/${encodeURIComponent(organization)}/teams`,
      undefined,
      options,
    );
    return body.items;
  }

  async listMembers(
    organization: string,
    options?: PaasRequestOptions,
  ): Promise<Membership[]> {
    const body = await this.request<{ items: Membership[] }>(
      'GET',
      `/organizations/${encodeURIComponent(organization)}/members`,
      undefined,
      options,
    );
    return body.items;
  }

  submitDeployment(
    organization: string,
    request: SubmitDeploymentRequest,
    options?: PaasRequestOptions,
  ): Promise<Deployment> {
    return this.request(
      'POST',
      `/organizations/${encodeURIComponent(organization)}/deployments`,
      request,
      options,
    );
  }

  async listDeployments(
    organization: string,
    options?: PaasRequestOptions,
  ): Promise<Deployment[]> {
    const body = await this.request<{ items: Deployment[] }>(
      'GET',
      `/organizations/${encodeURIComponent(organization)}/deployments`,
      undefined,
      options,
    );
    return body.items;
  }

  getDeployment(id: string, options?: PaasRequestOptions): Promise<Deployment> {
    return this.request(
      'GET',
      `/deployments/${encodeURIComponent(id)}`,
      undefined,
      options,
    );
  }

  private async request<T>(
    method: string,
    path: string,
    body: unknown,
    options: PaasRequestOptions | undefined,
  ): Promise<T> {
    const baseUrl = await this.discovery.getBaseUrl('paas');
    const { token } = await this.auth.getPluginRequestToken({
      onBehalfOf:
        options?.credentials ?? (await this.auth.getOwnServiceCredentials()),
      targetPluginId: 'paas',
    });
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
