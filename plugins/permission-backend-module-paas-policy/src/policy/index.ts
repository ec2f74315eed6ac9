export {
  PaasPermissionPolicy,
  type OtherPluginsDecision,
  type PaasPermissionPolicyOptions,
} from './PaasPermissionPolicy';
