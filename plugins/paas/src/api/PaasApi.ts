import { createApiRef } from '@backstage/frontend-plugin-api';
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
  PaasHealth,
  PriorityClasses,
  QuotaChange,
  RegisterClusterRequest,
  ResourceEvent,
  ResourceKind,
  SubmitDeploymentRequest,
  Team,
  UpdateClusterRequest,
} from '@paasport/plugin-paas-common';

/**
 * Body of creating a team: `name` is its stable id; `groupRef` adopts an existing catalog group.
 *
 * @public
 */
export interface CreateTeamRequest {
  name: string;
  title?: string;
  description?: string;
  groupRef?: string;
}

/**
 * Body of creating an invite code.
 *
 * @public
 */
export interface CreateInviteRequest {
  role: OrganizationRole;
  /** ISO 8601 duration such as `P3D`; the backend's configured default when left out. */
  expiresIn?: string;
  maxUses: number;
}

/**
 * Body of setting a quota limit. `limit` is in the dimension's own unit (millicores, MiB, ...).
 *
 * @public
 */
export interface SetQuotaRequest {
  limit: number;
  /** Why the limit changes; kept in the quota history. */
  reason?: string;
}

/**
 * What redeeming an invite code gave the signed-in user.
 *
 * @public
 */
export interface RedeemedInvite {
  /** Name of the organization joined. */
  organization: string;
  role: OrganizationRole;
}

/**
 * Narrows a list of managed resources; a filter left out matches every resource.
 *
 * @public
 */
export interface ResourceFilter {
  team?: string;
  kind?: ResourceKind;
}

/**
 * A resource kind that can be requested (a provider is installed for it), with the estimated
 * monthly cost of one resource of the kind in whole currency units.
 *
 * @public
 */
export interface ResourceKindInfo {
  kind: ResourceKind;
  monthlyCost: number;
}

/**
 * Client for the Paasport backend (`/api/paas`). Failed calls reject with a `ResponseError`
 * from `@backstage/errors` that carries the backend's message and status code. The `list`
 * methods return every item, following the backend's pages.
 *
 * @public
 */
export interface PaasApi {
  /** Database reachability and the resource kinds that have a provider installed. */
  getHealth(): Promise<PaasHealth>;
  /** Every organization the signed-in user may read. */
  listOrganizations(): Promise<Organization[]>;
  /** One organization; rejects with a 404 `ResponseError` when it does not exist or is hidden. */
  getOrganization(name: string): Promise<Organization>;
  /** Creates an organization, or adopts an existing catalog group when `groupRef` is set. */
  createOrganization(request: CreateOrganizationRequest): Promise<Organization>;

  /** The teams of an organization. */
  listTeams(organization: string): Promise<Team[]>;
  /** Creates a team, or adopts an existing catalog group when `groupRef` is set. */
  createTeam(organization: string, request: CreateTeamRequest): Promise<Team>;
  /** Puts a member of the organization into one of its teams. */
  addTeamMember(
    organization: string,
    team: string,
    userRef: string,
  ): Promise<void>;
  /** Takes a user out of a team; they stay a member of the organization. */
  removeTeamMember(
    organization: string,
    team: string,
    userRef: string,
  ): Promise<void>;

  /** The members of an organization, with their role and teams. */
  listMembers(organization: string): Promise<Membership[]>;
  /** Adds a user to the organization with a role, or changes the role of a member. */
  setMemberRole(
    organization: string,
    userRef: string,
    role: OrganizationRole,
  ): Promise<Membership>;
  /** Removes a member; rejects with a 409 when that would leave the organization without admin. */
  removeMember(organization: string, userRef: string): Promise<void>;
  /** The signed-in user's memberships, across organizations. */
  getMyMemberships(): Promise<Membership[]>;

  /** Creates an invite code; the answer is the only place the code itself is ever seen. */
  createInvite(
    organization: string,
    request: CreateInviteRequest,
  ): Promise<CreatedInviteCode>;
  /** The invite codes of an organization, without the codes themselves. */
  listInvites(organization: string): Promise<InviteCode[]>;
  /** Revokes an invite code so it can no longer be redeemed. */
  revokeInvite(organization: string, id: string): Promise<void>;
  /**
   * Joins the organization an invite code is for. Rejects with a 400 for any invalid code,
   * 409 when already a member and 429 (with `Retry-After`) after too many attempts.
   */
  redeemInvite(code: string): Promise<RedeemedInvite>;

  /** Limits and usage of an organization and of each of its teams. */
  getQuotas(organization: string): Promise<OrganizationQuotas>;
  /** Sets the organization's own limit of one dimension (platform team). */
  setOrganizationQuota(
    organization: string,
    dimension: string,
    request: SetQuotaRequest,
  ): Promise<void>;
  /** Carves a team's limit of one dimension out of the organization's (org admins). */
  setTeamQuota(
    organization: string,
    team: string,
    dimension: string,
    request: SetQuotaRequest,
  ): Promise<void>;
  /** Every change of the organization's and its teams' limits. */
  listQuotaChanges(organization: string): Promise<QuotaChange[]>;

  /**
   * Asks the platform team for a higher organization limit (org admins). `limit` is in the
   * dimension's own unit; the answer is the pending approval.
   */
  createQuotaRequest(
    organization: string,
    request: CreateQuotaRequest,
  ): Promise<Approval>;
  /** The approvals of an organization, in one state or (when left out) all of them. */
  listOrganizationApprovals(
    organization: string,
    state?: ApprovalState,
  ): Promise<Approval[]>;
  /** The signed-in user's inbox: the approvals they may decide, in one state or all. */
  listApprovalInbox(state?: ApprovalState): Promise<Approval[]>;
  /**
   * Approves or denies an approval; a denial needs a reason. Rejects with a 403 when the
   * signed-in user may not decide it, 404 when unknown and 409 when already decided or expired.
   */
  decideApproval(id: string, request: ApprovalDecisionBody): Promise<Approval>;

  /** Every cluster deployments can be scheduled onto, with its capacity and allocation. */
  listClusters(): Promise<Cluster[]>;
  /**
   * Registers a cluster (platform team). Rejects with a 400 naming the field, a 409 when the
   * name is taken and a 403 for anyone else.
   */
  registerCluster(request: RegisterClusterRequest): Promise<Cluster>;
  /**
   * Changes what is given of a cluster, such as its state; a `gpuType` of null removes it.
   * Rejects with a 409 when the capacity would drop below what is allocated.
   */
  updateCluster(name: string, request: UpdateClusterRequest): Promise<Cluster>;
  /** Removes a cluster; rejects with a 409 while anything is allocated on it. */
  removeCluster(name: string): Promise<void>;
  /** The configured priority classes, highest first, and the one used when none is given. */
  getPriorityClasses(): Promise<PriorityClasses>;
  /**
   * The deployments of an organization, in one state or (when left out) all of them; queued
   * ones carry their place in the queue.
   */
  listDeployments(
    organization: string,
    state?: DeploymentState,
  ): Promise<Deployment[]>;
  /** One deployment; rejects with a 404 `ResponseError` when it does not exist or is hidden. */
  getDeployment(id: string): Promise<Deployment>;
  /** What happened to a deployment, oldest first. */
  listDeploymentEvents(id: string): Promise<DeploymentEvent[]>;
  /**
   * Submits a deployment for a team. It comes back `queued`, or `pending-approval` when policy
   * asks for an approval first. Rejects with a 400 naming the field, a 409 when the name is
   * taken or nothing could ever hold it, and a 403 for viewers.
   */
  submitDeployment(
    organization: string,
    request: SubmitDeploymentRequest,
  ): Promise<Deployment>;
  /** Stops a deployment, releasing its quota and capacity. */
  stopDeployment(id: string): Promise<Deployment>;
  /** Queues a stopped or failed deployment again. */
  startDeployment(id: string): Promise<Deployment>;
  /** Deletes a deployment in any state. */
  deleteDeployment(id: string): Promise<void>;

  /** The kinds that can be requested, each with the estimated monthly cost of one. */
  listResourceKinds(): Promise<ResourceKindInfo[]>;
  /** The managed resources of an organization that are not deleted, by team and kind. */
  listResources(
    organization: string,
    filter?: ResourceFilter,
  ): Promise<ManagedResource[]>;
  /** The managed resources the signed-in user may see, across organizations. */
  listAllResources(
    filter?: ResourceFilter & { organization?: string },
  ): Promise<ManagedResource[]>;
  /** One managed resource; rejects with a 404 `ResponseError` when it does not exist or is hidden. */
  getResource(id: string): Promise<ManagedResource>;
  /** What happened to a managed resource, oldest first. */
  listResourceEvents(id: string): Promise<ResourceEvent[]>;
  /** Provisions a `failed` resource again; rejects with a 409 in any other phase. */
  retryResource(id: string): Promise<ManagedResource>;
  /**
   * Deletes a managed resource; it comes back `deleting`, or `deleted` when nothing was
   * created yet. Rejects with a 409 when its deletion policy is `protect`.
   */
  deleteResource(id: string): Promise<ManagedResource>;
}

/**
 * Body of deciding an approval: a denial must say why, in words the requester reads.
 *
 * @public
 */
export type ApprovalDecisionBody =
  | { decision: 'approve'; reason?: string }
  | { decision: 'deny'; reason: string };

/**
 * Reference to the {@link PaasApi}.
 *
 * @public
 */
export const paasApiRef = createApiRef<PaasApi>().with({
  id: 'plugin.paas.service',
  pluginId: 'paas',
});
