import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { PermissionPolicy } from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  paasOrganizationCreatePermission,
  paasOrganizationReadPermission,
} from '@paasport/plugin-paas-common';
import { permissionModulePaasPolicy } from './module';
import { PaasPermissionPolicy } from './policy';

describe('permissionModulePaasPolicy', () => {
  it('sets the Paasport policy, configured from paas.policy', async () => {
    const policies: PermissionPolicy[] = [];

    await startTestBackend({
      extensionPoints: [
        [policyExtensionPoint, { setPolicy: p => void policies.push(p) }],
      ],
      features: [
        permissionModulePaasPolicy,
        mockServices.rootConfig.factory({
          data: {
            paas: { policy: { platformAdmins: ['user:default/ada'] } },
          },
        }),
      ],
    });

    expect(policies).toHaveLength(1);
    expect(policies[0]).toBeInstanceOf(PaasPermissionPolicy);

    const ada = {
      credentials: mockCredentials.user('user:default/ada'),
      info: {
        userEntityRef: 'user:default/ada',
        ownershipEntityRefs: ['user:default/ada'],
      },
    };
    const bob = {
      credentials: mockCredentials.user('user:default/bob'),
      info: {
        userEntityRef: 'user:default/bob',
        ownershipEntityRefs: ['user:default/bob'],
      },
    };
    const create = { permission: paasOrganizationCreatePermission };
    expect(await policies[0].handle(create, ada)).toEqual({
      result: AuthorizeResult.ALLOW,
    });
    expect(await policies[0].handle(create, bob)).toEqual({
      result: AuthorizeResult.DENY,
    });
    expect(
      await policies[0].handle(
        { permission: paasOrganizationReadPermission },
        bob,
      ),
    ).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'paas',
      resourceType: 'paas-organization',
      conditions: {
        rule: 'HAS_ORGANIZATION_ROLE',
        resourceType: 'paas-organization',
        params: {
          claims: ['user:default/bob'],
          roles: ['admin', 'developer', 'viewer'],
        },
      },
    });
  });
});
