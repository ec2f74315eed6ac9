export {
  PaasPermissionPolicy,
  paasOrganizationPermissionRoles,
  type OtherPluginsDecision,
  type PaasPermissionPolicyOptions,
} from './PaasPermissionPolicy';
