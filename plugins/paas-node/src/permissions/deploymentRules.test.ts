import {
  inOrganizationWithRole,
  isSubmitter,
  paasDeploymentConditions,
} from './deploymentRules';

const deployment = {
  id: 'd1',
  organization: 'acme',
  createdBy: 'user:default/dana',
  members: [
    { userRef: 'user:default/ada', role: 'admin' as const },
    { userRef: 'user:default/dana', role: 'developer' as const },
  ],
};

describe('deployment rules', () => {
  it('allows members by role in the deployment organization, comparing refs without case', () => {
    expect(
      inOrganizationWithRole.apply(deployment, {
        claims: ['user:default/Ada'],
        roles: ['admin'],
      }),
    ).toBe(true);
    expect(
      inOrganizationWithRole.apply(deployment, {
        claims: ['user:default/dana'],
        roles: ['admin'],
      }),
    ).toBe(false);
    expect(
      inOrganizationWithRole.toQuery({
        claims: ['User:default/Ada'],
        roles: ['admin'],
      }),
    ).toEqual({
      type: 'in-organization-with-role',
      claims: ['user:default/ada'],
      roles: ['admin'],
    });
  });

  it('allows the submitter', () => {
    expect(
      isSubmitter.apply(deployment, { claims: ['user:default/Dana'] }),
    ).toBe(true);
    expect(
      isSubmitter.apply(deployment, { claims: ['user:default/ada'] }),
    ).toBe(false);
    expect(isSubmitter.toQuery({ claims: ['User:default/Dana'] })).toEqual({
      type: 'submitted-by',
      claims: ['user:default/dana'],
    });
  });

  it('exports condition factories for policies', () => {
    expect(
      paasDeploymentConditions.isSubmitter({ claims: ['user:default/dana'] }),
    ).toEqual({
      rule: 'IS_SUBMITTER',
      resourceType: 'paas-deployment',
      params: { claims: ['user:default/dana'] },
    });
  });
});
