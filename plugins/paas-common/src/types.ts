/** Roles a user can hold in a Paasport organization. @public */
export const ORGANIZATION_ROLES = ['admin', 'developer', 'viewer'] as const;

/** A role in a Paasport organization. @public */
export type OrganizationRole = (typeof ORGANIZATION_ROLES)[number];

/** A tenant: the unit that owns quota, members, resources and deployments. @public */
export interface Organization {
  /** Stable id, also the name of the catalog Group Paasport publishes for it. */
  name: string;
  title: string;
  description?: string;
  /** The catalog group this organization adopts, when it was not created in Paasport. */
  groupRef?: string;
  createdBy: string;
  createdAt: string;
}

/** Body of `POST /organizations`. @public */
export interface CreateOrganizationRequest {
  name: string;
  title?: string;
  description?: string;
  groupRef?: string;
}

/** Answer of `GET /health`. @public */
export interface PaasHealth {
  status: 'ok' | 'degraded';
  database: 'ok' | 'unreachable';
  /** Resource kinds for which a provider is installed. */
  providers: string[];
  /** Background loops (scheduler, reconciler, rollout) of this replica that stopped completing passes; absent when none. */
  stalledLoops?: Array<{
    loop: string;
    /** When the first pass it still owes began. */
    since: string;
    lastCompletedAt?: string;
  }>;
}

/** Status of one condition on a managed resource, as in Kubernetes conditions. @public */
export interface ResourceCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message?: string;
}
