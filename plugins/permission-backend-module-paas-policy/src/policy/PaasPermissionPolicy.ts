import { UserInfoService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  AuthorizeResult,
  isResourcePermission,
  PermissionCondition,
  PermissionCriteria,
  PolicyDecision,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  OrganizationRole,
  paasApprovalDecidePermission,
  paasClusterReadPermission,
  paasDeploymentCreatePermission,
  paasDeploymentDeletePermission,
  paasDeploymentReadPermission,
  paasMemberManagePermission,
  paasOrganizationReadPermission,
  paasOrganizationUpdatePermission,
  paasQuotaUpdatePermission,
  paasResourceCreatePermission,
  paasResourceDeletePermission,
  paasResourceReadPermission,
  RESOURCE_TYPE_PAAS_DEPLOYMENT,
  RESOURCE_TYPE_PAAS_ORGANIZATION,
  RESOURCE_TYPE_PAAS_RESOURCE,
} from '@paasport/plugin-paas-common';
import {
  createPaasOrganizationConditionalDecision,
  paasOrganizationConditions,
  createPaasDeploymentConditionalDecision,
  paasDeploymentConditions,
  createPaasResourceConditionalDecision,
  paasResourceConditions,
} from '@paasport/plugin-paas-node';

/** What the policy decides for permissions that other plugins define. @public */
export type OtherPluginsDecision = 'allow' | 'deny';

/** Options of {@link PaasPermissionPolicy}. @public */
export interface PaasPermissionPolicyOptions {
  userInfo: UserInfoService;
  /** Refs of users and groups (`group:default/platform-team`) allowed every Paasport permission. */
  platformAdmins?: string[];
  /**
   * Decision for permissions of other plugins; `deny` when left out, so that installing this
   * policy never opens the rest of the app by accident. Set `allow` only where this policy is
   * meant to be the whole app's policy.
   */
  otherPlugins?: OtherPluginsDecision;
}

/**
 * One rule of the policy: a decision for a Paasport permission, or `undefined` to leave it
 * to the next rule. Rules see the ownership refs of the signed-in user, lower-cased.
 */
type PaasPolicyRule = (
  request: PolicyQuery,
  ownershipRefs: ReadonlySet<string>,
) => PolicyDecision | undefined;

/**
 * The organization roles that grant each permission on an organization. Every permission of
 * resource type `paas-organization` needs an entry; one without is denied to all but platform
 * admins.
 *
 * @public
 */
export const paasOrganizationPermissionRoles: Readonly<
  Record<string, readonly OrganizationRole[]>
> = {
  [paasOrganizationReadPermission.name]: ['admin', 'developer', 'viewer'],
  [paasOrganizationUpdatePermission.name]: ['admin'],
  [paasMemberManagePermission.name]: ['admin'],
  [paasQuotaUpdatePermission.name]: ['admin'],
  [paasApprovalDecidePermission.name]: ['admin'],
  [paasResourceCreatePermission.name]: ['admin', 'developer'],
  [paasDeploymentCreatePermission.name]: ['admin', 'developer'],
};

const ALLOW: PolicyDecision = { result: AuthorizeResult.ALLOW };
const DENY: PolicyDecision = { result: AuthorizeResult.DENY };

const PAAS_PERMISSION_PREFIX = 'paas.';
const CONFIG_KEY = 'paas.policy';

/**
 * A rule for a resource type whose rows belong to an organization and were asked for by one
 * of its members: any role reads; admins, and the developer who asked, change.
 */
function memberScopedRule<TResourceType extends string>(options: {
  resourceType: TResourceType;
  read: string;
  change: string;
  inRole: (params: {
    claims: string[];
    roles: OrganizationRole[];
  }) => PermissionCriteria<PermissionCondition<TResourceType>>;
  isAsker: (params: {
    claims: string[];
  }) => PermissionCriteria<PermissionCondition<TResourceType>>;
  decide: (
    permission: ResourcePermission<TResourceType>,
    conditions: PermissionCriteria<PermissionCondition<TResourceType>>,
  ) => PolicyDecision;
}): PaasPolicyRule {
  return ({ permission }, ownershipRefs) => {
    if (!isResourcePermission(permission, options.resourceType)) {
      return undefined;
    }
    const claims = [...ownershipRefs];
    const inRole = (...roles: OrganizationRole[]) =>
      options.inRole({ claims, roles });
    if (permission.name === options.read) {
      return options.decide(permission, inRole('admin', 'developer', 'viewer'));
    }
    if (permission.name === options.change) {
      return options.decide(permission, {
        anyOf: [
          inRole('admin'),
          { allOf: [inRole('developer'), options.isAsker({ claims })] },
        ],
      });
    }
    return DENY;
  };
}

/**
 * The permission policy of a Paasport portal. Paasport permissions (`paas.*`) go through an
 * ordered list of rules and are denied when no rule decides: platform admins may do
 * anything, permissions on an organization are conditional on the user's role in it (see
 * {@link paasOrganizationPermissionRoles}), resources and deployments are read by the
 * organization's members and changed by its admins and by the developer who asked for them. The
 * permissions of other plugins get one configured decision, `deny` unless configured `allow`.
 * Service principals never reach a policy (Backstage allows them), which is why the Paasport
 * backend refuses plain service calls on all but a few reads.
 *
 * @public
 */
export class PaasPermissionPolicy implements PermissionPolicy {
  /** Reads `paas.policy` from the app config; throws on values it does not understand. */
  static fromConfig(
    config: Config,
    options: { userInfo: UserInfoService },
  ): PaasPermissionPolicy {
    const otherPlugins =
      config.getOptionalString(`${CONFIG_KEY}.otherPlugins`) ?? 'deny';
    if (otherPlugins !== 'allow' && otherPlugins !== 'deny') {
      throw new Error(
        `Invalid ${CONFIG_KEY}.otherPlugins '${otherPlugins}': expected 'allow' or 'deny'`,
      );
    }
    return new PaasPermissionPolicy({
      userInfo: options.userInfo,
      platformAdmins: config.getOptionalStringArray(
        `${CONFIG_KEY}.platformAdmins`,
      ),
      otherPlugins,
    });
  }

  private readonly userInfo: UserInfoService;
  private readonly otherPluginsDecision: PolicyDecision;
  private readonly rules: PaasPolicyRule[];

  constructor(options: PaasPermissionPolicyOptions) {
    this.userInfo = options.userInfo;
    this.otherPluginsDecision = options.otherPlugins === 'allow' ? ALLOW : DENY;

    const platformAdmins = new Set(
      (options.platformAdmins ?? []).map(normalizeAdminRef),
    );
    this.rules = [
      // The platform team may do anything in Paasport.
      (_request, ownershipRefs) =>
        [...ownershipRefs].some(ref => platformAdmins.has(ref))
          ? ALLOW
          : undefined,
      // Inside an organization, its members' roles decide; the organization's plugin applies
      // the condition to the organization (or filters a list by it).
      ({ permission }, ownershipRefs) => {
        if (
          !isResourcePermission(permission, RESOURCE_TYPE_PAAS_ORGANIZATION)
        ) {
          return undefined;
        }
        const roles = paasOrganizationPermissionRoles[permission.name];
        if (!roles) {
          return DENY;
        }
        return createPaasOrganizationConditionalDecision(
          permission,
          paasOrganizationConditions.hasOrganizationRole({
            claims: [...ownershipRefs],
            roles: [...roles],
          }),
        );
      },
      // A deployment: its organization's members see it; admins, and the developer who
      // submitted it, stop, start and delete it.
      memberScopedRule({
        resourceType: RESOURCE_TYPE_PAAS_DEPLOYMENT,
        read: paasDeploymentReadPermission.name,
        change: paasDeploymentDeletePermission.name,
        inRole: paasDeploymentConditions.inOrganizationWithRole,
        isAsker: paasDeploymentConditions.isSubmitter,
        decide: createPaasDeploymentConditionalDecision,
      }),
      // A managed resource: the same, with the developer who requested it.
      memberScopedRule({
        resourceType: RESOURCE_TYPE_PAAS_RESOURCE,
        read: paasResourceReadPermission.name,
        change: paasResourceDeletePermission.name,
        inRole: paasResourceConditions.inOrganizationWithRole,
        isAsker: paasResourceConditions.isRequester,
        decide: createPaasResourceConditionalDecision,
      }),
      // Any signed-in user sees the clusters' capacity; the backend shows each organization's
      // allocations only to those who may read the organization.
      ({ permission }) =>
        permission.name === paasClusterReadPermission.name ? ALLOW : undefined,
      // Everything else (creating organizations, setting their quotas, managing clusters) is
      // for the platform team, which the first rule already allowed.
    ];
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (!request.permission.name.startsWith(PAAS_PERMISSION_PREFIX)) {
      return this.otherPluginsDecision;
    }
    if (!user) {
      return DENY;
    }

    const { ownershipEntityRefs } = await this.userInfo.getUserInfo(
      user.credentials,
    );
    const ownershipRefs = new Set(
      ownershipEntityRefs.map(ref => ref.toLocaleLowerCase('en-US')),
    );
    for (const rule of this.rules) {
      const decision = rule(request, ownershipRefs);
      if (decision) {
        return decision;
      }
    }
    return DENY;
  }
}

/**
 * Entity refs compare case-insensitively; `group:platform-team` means the default namespace.
 * Anything but a user or group ref is a configuration mistake worth failing start-up for.
 */
function normalizeAdminRef(ref: string): string {
  const match = /^(user|group):(?:([^:/]+)\/)?([^:/]+)$/i.exec(ref.trim());
  if (!match) {
    throw new Error(
      `Invalid entry '${ref}' in ${CONFIG_KEY}.platformAdmins: expected a user or group ` +
        `reference such as group:default/platform-team`,
    );
  }
  const [, kind, namespace = 'default', name] = match;
  return `${kind}:${namespace}/${name}`.toLocaleLowerCase('en-US');
}
