import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  Approval,
  ApprovalState,
  Cluster,
  CreatedInviteCode,
  CreateQuotaRequest,
  CreateOrganizationRequest,
  Deployment,
  DeploymentEvent,
  DeploymentState,
  InviteCode,
  ManagedResource,
  Membership,
  Organization,
  OrganizationQuotas,
  OrganizationRole,
  PageInfo,
  PaasHealth,
  PriorityClasses,
  QuotaChange,
  RegisterClusterRequest,
  ResourceEvent,
  SubmitDeploymentRequest,
  Team,
  UpdateClusterRequest,
} from '@paasport/plugin-paas-common';
import {
  ApprovalDecisionBody,
  CreateInviteRequest,
  CreateTeamRequest,
  PaasApi,
  RedeemedInvite,
  ResourceFilter,
  ResourceKindInfo,
  SetQuotaRequest,
} from './PaasApi';

/** Builds a path from literal parts and values; every value is URL-encoded as one segment. */
function path(strings: TemplateStringsArray, ...values: string[]): string {
  return strings.reduce(
    (result, part, index) =>
      index < values.length
        ? `${result}${part}${encodeURIComponent(values[index])}`
        : `${result}${part}`,
    '',
  );
}

function jsonBody(method: string, body: unknown): RequestInit {
  return {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  };
}

/** A query string of the parameters that are set, or nothing when none is. */
function query(parameters: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters)) {
    if (value) {
      search.set(name, value);
    }
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

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
    return this.items<Organization>('/organizations');
  }

  async getOrganization(name: string): Promise<Organization> {
    return this.request<Organization>(path`/organizations/${name}`);
  }

  async createOrganization(
    request: CreateOrganizationRequest,
  ): Promise<Organization> {
    return this.request<Organization>(
      '/organizations',
      jsonBody('POST', request),
    );
  }

  async listTeams(organization: string): Promise<Team[]> {
    return this.items<Team>(path`/organizations/${organization}/teams`);
  }

  async createTeam(
    organization: string,
    request: CreateTeamRequest,
  ): Promise<Team> {
    return this.request<Team>(
      path`/organizations/${organization}/teams`,
      jsonBody('POST', request),
    );
  }

  async addTeamMember(
    organization: string,
    team: string,
    userRef: string,
  ): Promise<void> {
    await this.send(
      path`/organizations/${organization}/teams/${team}/members/${userRef}`,
      { method: 'PUT' },
    );
  }

  async removeTeamMember(
    organization: string,
    team: string,
    userRef: string,
  ): Promise<void> {
    await this.send(
      path`/organizations/${organization}/teams/${team}/members/${userRef}`,
      { method: 'DELETE' },
    );
  }

  async listMembers(organization: string): Promise<Membership[]> {
    return this.items<Membership>(path`/organizations/${organization}/members`);
  }

  async setMemberRole(
    organization: string,
    userRef: string,
    role: OrganizationRole,
  ): Promise<Membership> {
    return this.request<Membership>(
      path`/organizations/${organization}/members/${userRef}`,
      jsonBody('PUT', { role }),
    );
  }

  async removeMember(organization: string, userRef: string): Promise<void> {
    await this.send(path`/organizations/${organization}/members/${userRef}`, {
      method: 'DELETE',
    });
  }

  async getMyMemberships(): Promise<Membership[]> {
    return this.items<Membership>('/me/memberships');
  }

  async createInvite(
    organization: string,
    request: CreateInviteRequest,
  ): Promise<CreatedInviteCode> {
    return this.request<CreatedInviteCode>(
      path`/organizations/${organization}/invites`,
      jsonBody('POST', request),
    );
  }

  async listInvites(organization: string): Promise<InviteCode[]> {
    return this.items<InviteCode>(path`/organizations/${organization}/invites`);
  }

  async revokeInvite(organization: string, id: string): Promise<void> {
    await this.send(path`/organizations/${organization}/invites/${id}`, {
      method: 'DELETE',
    });
  }

  async redeemInvite(code: string): Promise<RedeemedInvite> {
    return this.request<RedeemedInvite>(
      '/invites/redeem',
      jsonBody('POST', { code }),
    );
  }

  async getQuotas(organization: string): Promise<OrganizationQuotas> {
    return this.request<OrganizationQuotas>(
      path`/organizations/${organization}/quotas`,
    );
  }

  async setOrganizationQuota(
    organization: string,
    dimension: string,
    request: SetQuotaRequest,
  ): Promise<void> {
    await this.send(
      path`/organizations/${organization}/quotas/${dimension}`,
      jsonBody('PUT', request),
    );
  }

  async setTeamQuota(
    organization: string,
    team: string,
    dimension: string,
    request: SetQuotaRequest,
  ): Promise<void> {
    await this.send(
      path`/organizations/${organization}/teams/${team}/quotas/${dimension}`,
      jsonBody('PUT', request),
    );
  }

  async listQuotaChanges(organization: string): Promise<QuotaChange[]> {
    return this.items<QuotaChange>(
      path`/organizations/${organization}/quota-changes`,
    );
  }

  async createQuotaRequest(
    organization: string,
    request: CreateQuotaRequest,
  ): Promise<Approval> {
    return this.request<Approval>(
      path`/organizations/${organization}/quota-requests`,
      jsonBody('POST', request),
    );
  }

  async listOrganizationApprovals(
    organization: string,
    state?: ApprovalState,
  ): Promise<Approval[]> {
    return this.items<Approval>(
      `${path`/organizations/${organization}/approvals`}${query({ state })}`,
    );
  }

  async listApprovalInbox(state?: ApprovalState): Promise<Approval[]> {
    return this.items<Approval>(`/approvals${query({ state })}`);
  }

  async decideApproval(
    id: string,
    request: ApprovalDecisionBody,
  ): Promise<Approval> {
    return this.request<Approval>(
      path`/approvals/${id}/decision`,
      jsonBody('POST', request),
    );
  }

  async listClusters(): Promise<Cluster[]> {
    return this.items<Cluster>('/clusters');
  }

  async registerCluster(request: RegisterClusterRequest): Promise<Cluster> {
    return this.request<Cluster>('/clusters', jsonBody('POST', request));
  }

  async updateCluster(
    name: string,
    request: UpdateClusterRequest,
  ): Promise<Cluster> {
    return this.request<Cluster>(
      path`/clusters/${name}`,
      jsonBody('PATCH', request),
    );
  }

  async removeCluster(name: string): Promise<void> {
    await this.send(path`/clusters/${name}`, { method: 'DELETE' });
  }

  async getPriorityClasses(): Promise<PriorityClasses> {
    return this.request<PriorityClasses>('/priority-classes');
  }

  async listDeployments(
    organization: string,
    state?: DeploymentState,
  ): Promise<Deployment[]> {
    return this.items<Deployment>(
      `${path`/organizations/${organization}/deployments`}${query({ state })}`,
    );
  }

  async getDeployment(id: string): Promise<Deployment> {
    return this.request<Deployment>(path`/deployments/${id}`);
  }

  async listDeploymentEvents(id: string): Promise<DeploymentEvent[]> {
    return this.items<DeploymentEvent>(path`/deployments/${id}/events`);
  }

  async submitDeployment(
    organization: string,
    request: SubmitDeploymentRequest,
  ): Promise<Deployment> {
    return this.request<Deployment>(
      path`/organizations/${organization}/deployments`,
      jsonBody('POST', request),
    );
  }

  async stopDeployment(id: string): Promise<Deployment> {
    return this.request<Deployment>(path`/deployments/${id}/stop`, {
      method: 'POST',
    });
  }

  async startDeployment(id: string): Promise<Deployment> {
    return this.request<Deployment>(path`/deployments/${id}/start`, {
      method: 'POST',
    });
  }

  async deleteDeployment(id: string): Promise<void> {
    await this.send(path`/deployments/${id}`, { method: 'DELETE' });
  }

  async listResourceKinds(): Promise<ResourceKindInfo[]> {
    return this.items<ResourceKindInfo>('/resource-kinds');
  }

  async listResources(
    organization: string,
    filter: ResourceFilter = {},
  ): Promise<ManagedResource[]> {
    return this.items<ManagedResource>(
      `${path`/organizations/${organization}/resources`}${query({
        team: filter.team,
        kind: filter.kind,
      })}`,
    );
  }

  async listAllResources(
    filter: ResourceFilter & { organization?: string } = {},
  ): Promise<ManagedResource[]> {
    return this.items<ManagedResource>(
      `/resources${query({
        organization: filter.organization,
        team: filter.team,
        kind: filter.kind,
      })}`,
    );
  }

  async getResource(id: string): Promise<ManagedResource> {
    return this.request<ManagedResource>(path`/resources/${id}`);
  }

  async listResourceEvents(id: string): Promise<ResourceEvent[]> {
    return this.items<ResourceEvent>(path`/resources/${id}/events`);
  }

  async retryResource(id: string): Promise<ManagedResource> {
    return this.request<ManagedResource>(path`/resources/${id}/retry`, {
      method: 'POST',
    });
  }

  async deleteResource(id: string): Promise<ManagedResource> {
    return this.request<ManagedResource>(path`/resources/${id}`, {
      method: 'DELETE',
    });
  }

  /** Every item of a list, following `pageInfo.nextCursor` where the backend pages it. */
  private async items<T>(urlPath: string): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | undefined;
    do {
      const page = cursor
        ? `${urlPath}${
            urlPath.includes('?') ? '&' : '?'
          }cursor=${encodeURIComponent(cursor)}`
        : urlPath;
      // Lists that are not paged, such as the resource kinds, answer without pageInfo.
      const body = await this.request<{ items: T[]; pageInfo?: PageInfo }>(
        page,
      );
      items.push(...body.items);
      const next = body.pageInfo?.nextCursor;
      if (next && next === cursor) {
        throw new Error(`The Paasport backend repeated a page of ${urlPath}`);
      }
      cursor = next;
    } while (cursor);
    return items;
  }

  private async request<T>(urlPath: string, init?: RequestInit): Promise<T> {
    const response = await this.send(urlPath, init);
    return (await response.json()) as T;
  }

  /** Sends a request and rejects with a `ResponseError` unless it succeeded. */
  private async send(urlPath: string, init?: RequestInit): Promise<Response> {
    const baseUrl = await this.discoveryApi.getBaseUrl('paas');
    const response = await this.fetchApi.fetch(`${baseUrl}${urlPath}`, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response;
  }
}
