import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  CreateOrganizationRequest,
  createResourceRequestSchema,
  Deployment,
  ListPage,
  ManagedResource,
  MAX_PAGE_LIMIT,
  Membership,
  Organization,
  PaasHealth,
  SubmitDeploymentRequest,
  Team,
} from '@paasport/plugin-paas-common';
import { z } from 'zod';

/** Options of every call: whose behalf it is made on. @public */
export interface PaasRequestOptions {
  /** The caller's credentials; the calling plugin's own when omitted. */
  credentials?: BackstageCredentials;
}

/**
 * Body of {@link PaasService.createResource}, as the backend accepts it: `spec` and
 * `deletionPolicy` may be left out for their defaults.
 * @public
 */
export type CreateResourceRequestInput = z.input<
  typeof createResourceRequestSchema
>;

/** Options of {@link PaasService.createResource}. @public */
export interface CreateResourceOptions extends PaasRequestOptions {
  /**
   * Makes a repeated request return the resource the first one created instead of a
   * conflict; use one key per intended resource, such as a scaffolder task id and step.
   * 1 to 255 printable ASCII characters without spaces.
   */
  idempotencyKey?: string;
}

/** Answer of {@link PaasService.createResource}. @public */
export interface CreateResourceResult {
  resource: ManagedResource;
  /** False when the idempotency key had been used before and the earlier resource came back. */
  created: boolean;
}

/** Which resources {@link PaasService.listResources} returns; every field narrows. @public */
export interface ResourceFilter {
  organization?: string;
  team?: string;
  /** Such as `aws:s3-bucket`. */
  kind?: string;
}

/**
 * The Paasport backend's API, for other backend plugins. The `list` methods return every
 * item, following the backend's pages.
 * @public
 */
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
  /**
   * Requests a managed resource for a team of the organization; it comes back
   * `pending-approval` or `provisioning`. Sent again with the same idempotency key, it
   * returns the earlier resource with `created: false`. Throws a ResponseError with status
   * 400 for a bad field or spec (an unknown team or kind included), 403, 404 for an unknown
   * organization, or 409 when the team already has a resource of that kind and name, the
   * quota does not allow it, or the idempotency key was used for a different request.
   */
  createResource(
    organization: string,
    request: CreateResourceRequestInput,
    options?: CreateResourceOptions,
  ): Promise<CreateResourceResult>;
  /**
   * The managed resources the caller may read, all of them with service credentials;
   * the backend leaves out deleted ones. Throws a ResponseError with status 400 for an
   * unknown kind.
   */
  listResources(
    filter?: ResourceFilter,
    options?: PaasRequestOptions,
  ): Promise<ManagedResource[]>;
  /** One managed resource; 404 when there is none or the caller may not read it. */
  getResource(
    id: string,
    options?: PaasRequestOptions,
  ): Promise<ManagedResource>;
  /**
   * Asks for a managed resource to be deleted as its deletion policy says and returns it,
   * usually `deleting`. Throws a ResponseError with status 403, 404, or 409 when the
   * policy is `protect`.
   */
  deleteResource(
    id: string,
    options?: PaasRequestOptions,
  ): Promise<ManagedResource>;
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
    return this.listAll<Organization>(
      '/organizations',
      new URLSearchParams(),
      options,
    );
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
    return this.listAll<Team>(
      `/organizations/${encodeURIComponent(organization)}/teams`,
      new URLSearchParams(),
      options,
    );
  }

  async listMembers(
    organization: string,
    options?: PaasRequestOptions,
  ): Promise<Membership[]> {
    return this.listAll<Membership>(
      `/organizations/${encodeURIComponent(organization)}/members`,
      new URLSearchParams(),
      options,
    );
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
    return this.listAll<Deployment>(
      `/organizations/${encodeURIComponent(organization)}/deployments`,
      new URLSearchParams(),
      options,
    );
  }

  getDeployment(id: string, options?: PaasRequestOptions): Promise<Deployment> {
    return this.request(
      'GET',
      `/deployments/${encodeURIComponent(id)}`,
      undefined,
      options,
    );
  }

  async createResource(
    organization: string,
    request: CreateResourceRequestInput,
    options?: CreateResourceOptions,
  ): Promise<CreateResourceResult> {
    const response = await this.send(
      'POST',
      `/organizations/${encodeURIComponent(organization)}/resources`,
      request,
      options,
      options?.idempotencyKey
        ? { 'Idempotency-Key': options.idempotencyKey }
        : {},
    );
    return {
      resource: (await response.json()) as ManagedResource,
      created: response.status === 201,
    };
  }

  async listResources(
    filter: ResourceFilter = {},
    options?: PaasRequestOptions,
  ): Promise<ManagedResource[]> {
    const query = new URLSearchParams();
    for (const key of ['organization', 'team', 'kind'] as const) {
      const value = filter[key];
      if (value !== undefined) {
        query.set(key, value);
      }
    }
    return this.listAll<ManagedResource>('/resources', query, options);
  }

  getResource(
    id: string,
    options?: PaasRequestOptions,
  ): Promise<ManagedResource> {
    return this.request(
      'GET',
      `/resources/${encodeURIComponent(id)}`,
      undefined,
      options,
    );
  }

  deleteResource(
    id: string,
    options?: PaasRequestOptions,
  ): Promise<ManagedResource> {
    return this.request(
      'DELETE',
      `/resources/${encodeURIComponent(id)}`,
      undefined,
      options,
    );
  }

  /** Every item of a paged list, following `pageInfo.nextCursor` from page to page. */
  private async listAll<T>(
    path: string,
    query: URLSearchParams,
    options: PaasRequestOptions | undefined,
  ): Promise<T[]> {
    const items: T[] = [];
    query.set('limit', String(MAX_PAGE_LIMIT));
    for (;;) {
      const page = await this.request<ListPage<T>>(
        'GET',
        `${path}?${query}`,
        undefined,
        options,
      );
      items.push(...page.items);
      const next = page.pageInfo?.nextCursor;
      if (!next) {
        return items;
      }
      if (next === query.get('cursor')) {
        throw new Error(`The Paasport backend repeated a page of ${path}`);
      }
      query.set('cursor', next);
    }
  }

  private async request<T>(
    method: string,
    path: string,
    body: unknown,
    options: PaasRequestOptions | undefined,
  ): Promise<T> {
    const response = await this.send(method, path, body, options);
    return (await response.json()) as T;
  }

  /** Sends an authenticated request; throws a ResponseError unless the answer is 2xx. */
  private async send(
    method: string,
    path: string,
    body: unknown,
    options: PaasRequestOptions | undefined,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    const baseUrl = await this.discovery.getBaseUrl('paas');
    const { token } = await this.auth.getPluginRequestToken({
      onBehalfOf:
        options?.credentials ?? (await this.auth.getOwnServiceCredentials()),
      targetPluginId: 'paas',
    });
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...headers,
        Authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response;
  }
}
