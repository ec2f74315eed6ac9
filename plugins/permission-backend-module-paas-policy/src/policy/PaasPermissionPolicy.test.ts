import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  AuthorizeResult,
  createPermission,
  isResourcePermission,
  Permission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  OrganizationRole,
  paasApprovalDecidePermission,
  paasClusterManagePermission,
  paasClusterReadPermission,
  paasDeploymentCreatePermission,
  paasDeploymentDeletePermission,
  paasDeploymentReadPermission,
  paasMemberManagePermission,
  paasOrganizationCreatePermission,
  paasOrganizationReadPermission,
  paasOrganizationUpdatePermission,
  paasPermissions,
  paasQuotaManagePermission,
  paasQuotaUpdatePermission,
  paasResourceCreatePermission,
  paasResourceDeletePermission,
  paasResourceReadPermission,
  RESOURCE_TYPE_PAAS_ORGANIZATION,
} from '@paasport/plugin-paas-common';
import {
  PaasPermissionPolicy,
  paasOrganizationPermissionRoles,
} from './PaasPermissionPolicy';

const catalogEntityRead = createPermission({
  name: 'catalog.entity.read',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
});
const catalogEntityDelete = createPermission({
  name: 'catalog.entity.delete',
  attributes: { action: 'delete' },
  resourceType: 'catalog-entity',
});
const scaffolderTemplateRead = createPermission({
  name: 'scaffolder.template.parameter.read',
  attributes: { action: 'read' },
  resourceType: 'scaffolder-template',
});
const lookalike = createPermission({
  name: 'paasport-clone.thing.create',
  attributes: { action: 'create' },
});
const unmappedOrganizationPermission = createPermission({
  name: 'paas.org.archive',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_PAAS_ORGANIZATION,
});

const PLATFORM_ADMINS = [
  'group:default/platform-team',
  'user:default/grace.hopper',
];

/** Who asks: their user ref and the groups they belong to; `undefined` for no user. */
const people = {
  ada: ['user:default/ada.lovelace', 'group:default/platform-team'],
  grace: ['user:default/grace.hopper', 'group:default/checkout'],
  alan: ['user:default/Alan.Turing', 'group:default/checkout'],
  none: undefined,
} as const;

type Row = [
  description: string,
  who: keyof typeof people,
  permission: Permission,
  otherPlugins: 'allow' | 'deny' | undefined,
  expected: PolicyDecision,
];

const ALLOW: PolicyDecision = { result: AuthorizeResult.ALLOW };
const DENY: PolicyDecision = { result: AuthorizeResult.DENY };

/** The decision the policy owes Alan: allowed where he holds one of `roles`. */
function alanHolds(...roles: OrganizationRole[]): PolicyDecision {
  return {
    result: AuthorizeResult.CONDITIONAL,
    pluginId: 'paas',
    resourceType: 'paas-organization',
    conditions: {
      rule: 'HAS_ORGANIZATION_ROLE',
      resourceType: 'paas-organization',
      params: {
        claims: ['user:default/alan.turing', 'group:default/checkout'],
        roles,
      },
    },
  };
}

const ALAN_CLAIMS = ['user:default/alan.turing', 'group:default/checkout'];
const inRole = (...roles: OrganizationRole[]) => ({
  rule: 'IN_ORGANIZATION_WITH_ROLE',
  resourceType: 'paas-deployment',
  params: { claims: ALAN_CLAIMS, roles },
});
const submitter = {
  rule: 'IS_SUBMITTER',
  resourceType: 'paas-deployment',
  params: { claims: ALAN_CLAIMS },
};
const inRoleForResource = (...roles: OrganizationRole[]) => ({
  ...inRole(...roles),
  resourceType: 'paas-resource',
});
const requester = {
  rule: 'IS_REQUESTER',
  resourceType: 'paas-resource',
  params: { claims: ALAN_CLAIMS },
};

/** The decision the policy owes Alan on a deployment: allowed where `conditions` hold. */
function alanDeployment(conditions: object): PolicyDecision {
  return {
    result: AuthorizeResult.CONDITIONAL,
    pluginId: 'paas',
    resourceType: 'paas-deployment',
    conditions,
  } as PolicyDecision;
}

/** The same for a managed resource. */
function alanResource(conditions: object): PolicyDecision {
  return {
    result: AuthorizeResult.CONDITIONAL,
    pluginId: 'paas',
    resourceType: 'paas-resource',
    conditions,
  } as PolicyDecision;
}

async function decide(
  who: keyof typeof people,
  permission: Permission,
  options: { otherPlugins?: 'allow' | 'deny'; platformAdmins?: string[] } = {},
) {
  const refs = people[who];
  const policy = new PaasPermissionPolicy({
    userInfo: mockServices.userInfo(
      refs ? { ownershipEntityRefs: [...refs] } : {},
    ),
    platformAdmins: options.platformAdmins ?? PLATFORM_ADMINS,
    otherPlugins: options.otherPlugins,
  });
  const user = refs && {
    credentials: mockCredentials.user(refs[0]),
    info: { userEntityRef: refs[0], ownershipEntityRefs: [...refs] },
  };
  return policy.handle({ permission }, user);
}

describe('PaasPermissionPolicy', () => {
  // prettier-ignore
  it.each<Row>([
    ['platform admin through a group: create an org',            'ada',   paasOrganizationCreatePermission,   undefined, ALLOW],
    ['platform admin through a group: manage clusters',          'ada',   paasClusterManagePermission,        undefined, ALLOW],
    ['platform admin through a group: set an org quota',         'ada',   paasQuotaManagePermission,          undefined, ALLOW],
    ['platform admin through a group: update any org',           'ada',   paasOrganizationUpdatePermission,   undefined, ALLOW],
    ['platform admin through their user ref: create an org',     'grace', paasOrganizationCreatePermission,   undefined, ALLOW],
    ['platform admin through their user ref: create a resource', 'grace', paasResourceCreatePermission,       undefined, ALLOW],
    ['member: read an org',                                      'alan',  paasOrganizationReadPermission,     undefined, alanHolds('admin', 'developer', 'viewer')],
    ['member: update an org',                                    'alan',  paasOrganizationUpdatePermission,   undefined, alanHolds('admin')],
    ['member: manage members',                                   'alan',  paasMemberManagePermission,         undefined, alanHolds('admin')],
    ['member: carve team quotas',                                'alan',  paasQuotaUpdatePermission,          undefined, alanHolds('admin')],
    ['member: decide an approval',                               'alan',  paasApprovalDecidePermission,       undefined, alanHolds('admin')],
    ['member: create a resource',                                'alan',  paasResourceCreatePermission,       undefined, alanHolds('admin', 'developer')],
    ['member: submit a deployment',                              'alan',  paasDeploymentCreatePermission,     undefined, alanHolds('admin', 'developer')],
    ['member: an org permission with no roles in the table',     'alan',  unmappedOrganizationPermission,     undefined, DENY],
    ['plain user: create an org',                                'alan',  paasOrganizationCreatePermission,   undefined, DENY],
    ['plain user: set an org quota',                             'alan',  paasQuotaManagePermission,          undefined, DENY],
    ['plain user: manage clusters',                              'alan',  paasClusterManagePermission,        undefined, DENY],
    ['plain user: read clusters',                                'alan',  paasClusterReadPermission,          undefined, ALLOW],
    ['no user: read clusters',                                   'none',  paasClusterReadPermission,          undefined, DENY],
    ['member: read a resource',                                  'alan',  paasResourceReadPermission,         undefined, alanResource(inRoleForResource('admin', 'developer', 'viewer'))],
    ['member: delete a resource (admin, or its developer requester)', 'alan', paasResourceDeletePermission,   undefined, alanResource({ anyOf: [inRoleForResource('admin'), { allOf: [inRoleForResource('developer'), requester] }] })],
    ['member: read a deployment',                                'alan',  paasDeploymentReadPermission,       undefined, alanDeployment(inRole('admin', 'developer', 'viewer'))],
    ['member: stop a deployment (admin, or its developer submitter)', 'alan', paasDeploymentDeletePermission, undefined, alanDeployment({ anyOf: [inRole('admin'), { allOf: [inRole('developer'), submitter] }] })],
    ['no user: read an org',                                     'none',  paasOrganizationReadPermission,     undefined, DENY],
    ['no user: read a resource',                                 'none',  paasResourceReadPermission,         undefined, DENY],
    ['no user: create an org',                                   'none',  paasOrganizationCreatePermission,   undefined, DENY],
    ['other plugin, default deny: read an entity',               'alan',  catalogEntityRead,                  undefined, DENY],
    ['other plugin, default deny: no user',                      'none',  catalogEntityRead,                  undefined, DENY],
    ['other plugin, allow: delete an entity',                    'alan',  catalogEntityDelete,                'allow',   ALLOW],
    ['other plugin, allow: no user',                             'none',  catalogEntityRead,                  'allow',   ALLOW],
    ['other plugin, allow: a name that only starts like paas',   'alan',  lookalike,                          'allow',   ALLOW],
    ['other plugin, deny: read an entity',                       'alan',  catalogEntityRead,                  'deny',    DENY],
    ['other plugin, deny: read template parameters',             'alan',  scaffolderTemplateRead,             'deny',    DENY],
    ['other plugin, deny: even for a platform admin',            'ada',   catalogEntityRead,                  'deny',    DENY],
    ['other plugin, deny: no user',                              'none',  catalogEntityRead,                  'deny',    DENY],
    ['Paasport permissions ignore otherPlugins: deny',           'alan',  paasResourceReadPermission,         'deny',    alanResource(inRoleForResource('admin', 'developer', 'viewer'))],
  ])('%s', async (_description, who, permission, otherPlugins, expected) => {
    expect(await decide(who, permission, { otherPlugins })).toEqual(expected);
  });

  it('maps every organization permission to the roles that grant it', () => {
    const organizationPermissions = paasPermissions
      .filter(p => isResourcePermission(p, RESOURCE_TYPE_PAAS_ORGANIZATION))
      .map(p => p.name);

    expect(Object.keys(paasOrganizationPermissionRoles).sort()).toEqual(
      [...organizationPermissions].sort(),
    );
    for (const roles of Object.values(paasOrganizationPermissionRoles)) {
      expect(roles).toContain('admin');
    }
  });

  it('allows a platform admin every Paasport permission', async () => {
    for (const permission of paasPermissions) {
      expect(await decide('ada', permission)).toEqual(ALLOW);
    }
  });

  it('matches platform admins case-insensitively and in short form', async () => {
    expect(
      await decide('ada', paasOrganizationCreatePermission, {
        platformAdmins: ['Group:Platform-Team'],
      }),
    ).toEqual(ALLOW);
  });

  it('denies every Paasport mutation when no platform admins are configured', async () => {
    expect(
      await decide('ada', paasOrganizationCreatePermission, {
        platformAdmins: [],
      }),
    ).toEqual(DENY);
  });

  it('takes the ownership refs from the user info service', async () => {
    const userInfo = mockServices.userInfo.mock({
      getUserInfo: async () => ({
        userEntityRef: 'user:default/alan.turing',
        ownershipEntityRefs: [
          'user:default/alan.turing',
          'group:default/platform-team',
        ],
      }),
    });
    const policy = new PaasPermissionPolicy({
      userInfo,
      platformAdmins: PLATFORM_ADMINS,
    });
    const credentials = mockCredentials.user('user:default/alan.turing');

    const decision = await policy.handle(
      { permission: paasOrganizationCreatePermission },
      {
        credentials,
        info: {
          userEntityRef: 'user:default/alan.turing',
          ownershipEntityRefs: ['user:default/alan.turing'],
        },
      },
    );

    expect(decision).toEqual(ALLOW);
    expect(userInfo.getUserInfo).toHaveBeenCalledWith(credentials);
  });

  describe('fromConfig', () => {
    const userInfo = mockServices.userInfo({
      ownershipEntityRefs: ['user:default/ada', 'group:default/platform-team'],
    });
    const ada = {
      credentials: mockCredentials.user('user:default/ada'),
      info: {
        userEntityRef: 'user:default/ada',
        ownershipEntityRefs: [
          'user:default/ada',
          'group:default/platform-team',
        ],
      },
    };

    it('reads paas.policy.platformAdmins and paas.policy.otherPlugins', async () => {
      const policy = PaasPermissionPolicy.fromConfig(
        new ConfigReader({
          paas: {
            policy: {
              platformAdmins: ['group:default/platform-team'],
              otherPlugins: 'deny',
            },
          },
        }),
        { userInfo },
      );

      expect(
        await policy.handle({ permission: paasClusterManagePermission }, ada),
      ).toEqual(ALLOW);
      expect(
        await policy.handle({ permission: catalogEntityRead }, ada),
      ).toEqual(DENY);
    });

    it('denies other plugins and has no admins when nothing is configured', async () => {
      const policy = PaasPermissionPolicy.fromConfig(new ConfigReader({}), {
        userInfo,
      });

      expect(
        await policy.handle({ permission: catalogEntityDelete }, ada),
      ).toEqual(DENY);
      expect(
        await policy.handle({ permission: paasClusterManagePermission }, ada),
      ).toEqual(DENY);
    });

    it('allows other plugins when paas.policy.otherPlugins is allow', async () => {
      const policy = PaasPermissionPolicy.fromConfig(
        new ConfigReader({ paas: { policy: { otherPlugins: 'allow' } } }),
        { userInfo },
      );

      expect(
        await policy.handle({ permission: catalogEntityDelete }, ada),
      ).toEqual(ALLOW);
    });

    it.each([
      [{ otherPlugins: 'maybe' }, "Invalid paas.policy.otherPlugins 'maybe'"],
      [{ platformAdmins: ['platform-team'] }, "Invalid entry 'platform-team'"],
      [
        { platformAdmins: ['component:default/paasport'] },
        "Invalid entry 'component:default/paasport'",
      ],
    ])('refuses to start with %j', (policy, message) => {
      expect(() =>
        PaasPermissionPolicy.fromConfig(
          new ConfigReader({ paas: { policy } }),
          {
            userInfo,
          },
        ),
      ).toThrow(message);
    });
  });
});
