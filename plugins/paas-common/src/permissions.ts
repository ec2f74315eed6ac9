import { createPermission } from '@backstage/plugin-permission-common';

/** Resource type of permissions that act on one Paasport organization. @public */
export const RESOURCE_TYPE_PAAS_ORGANIZATION = 'paas-organization';
/** Resource type of permissions that act on one managed infrastructure resource. @public */
export const RESOURCE_TYPE_PAAS_RESOURCE = 'paas-resource';
/** Resource type of permissions that act on one container deployment. @public */
export const RESOURCE_TYPE_PAAS_DEPLOYMENT = 'paas-deployment';

/** Read an organization, its teams and members. @public */
export const paasOrganizationReadPermission = createPermission({
  name: 'paas.org.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_PAAS_ORGANIZATION,
});

/** Create an organization (platform team). @public */
export const paasOrganizationCreatePermission = createPermission({
  name: 'paas.org.create',
  attributes: { action: 'create' },
});

/** Rename, re-describe or delete an organization and its teams. @public */
export const paasOrganizationUpdatePermission = createPermission({
  name: 'paas.org.update',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_PAAS_ORGANIZATION,
});

/** Add and remove members, change their roles, create and revoke invite codes. @public */
export const paasMemberManagePermission = createPermission({
  name: 'paas.member.manage',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_PAAS_ORGANIZATION,
});

/** Carve team quotas out of an organization's quota, and ask for more (org admins). @public */
export const paasQuotaUpdatePermission = createPermission({
  name: 'paas.quota.update',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_PAAS_ORGANIZATION,
});

/** Set the quota of an organization itself (platform team). @public */
export const paasQuotaManagePermission = createPermission({
  name: 'paas.quota.manage',
  attributes: { action: 'update' },
});

/** Decide on a pending approval. @public */
export const paasApprovalDecidePermission = createPermission({
  name: 'paas.approval.decide',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_PAAS_ORGANIZATION,
});

/** See a managed resource. @public */
export const paasResourceReadPermission = createPermission({
  name: 'paas.resource.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_PAAS_RESOURCE,
});

/** Request a new managed resource for an organization. @public */
export const paasResourceCreatePermission = createPermission({
  name: 'paas.resource.create',
  attributes: { action: 'create' },
  resourceType: RESOURCE_TYPE_PAAS_ORGANIZATION,
});

/** Change or delete a managed resource. @public */
export const paasResourceDeletePermission = createPermission({
  name: 'paas.resource.delete',
  attributes: { action: 'delete' },
  resourceType: RESOURCE_TYPE_PAAS_RESOURCE,
});

/** See a deployment and its place in the queue. @public */
export const paasDeploymentReadPermission = createPermission({
  name: 'paas.deployment.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_PAAS_DEPLOYMENT,
});

/** Submit a deployment for an organization. @public */
export const paasDeploymentCreatePermission = createPermission({
  name: 'paas.deployment.create',
  attributes: { action: 'create' },
  resourceType: RESOURCE_TYPE_PAAS_ORGANIZATION,
});

/** Stop or delete a deployment. @public */
export const paasDeploymentDeletePermission = createPermission({
  name: 'paas.deployment.delete',
  attributes: { action: 'delete' },
  resourceType: RESOURCE_TYPE_PAAS_DEPLOYMENT,
});

/**
 * See clusters: their capacity and allocated totals, and what each organization the caller
 * may read has allocated on them. @public
 */
export const paasClusterReadPermission = createPermission({
  name: 'paas.cluster.read',
  attributes: { action: 'read' },
});

/** Register, resize, cordon or remove clusters (platform team). @public */
export const paasClusterManagePermission = createPermission({
  name: 'paas.cluster.manage',
  attributes: { action: 'update' },
});

/** Every permission Paasport defines, for registration and policy authors. @public */
export const paasPermissions = [
  paasOrganizationReadPermission,
  paasOrganizationCreatePermission,
  paasOrganizationUpdatePermission,
  paasMemberManagePermission,
  paasQuotaUpdatePermission,
  paasQuotaManagePermission,
  paasApprovalDecidePermission,
  paasResourceReadPermission,
  paasResourceCreatePermission,
  paasResourceDeletePermission,
  paasDeploymentReadPermission,
  paasDeploymentCreatePermission,
  paasDeploymentDeletePermission,
  paasClusterReadPermission,
  paasClusterManagePermission,
];
