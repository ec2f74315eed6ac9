import { paasResourceConditions, paasResourceRules } from './resourceRules';

const resource = {
  id: 'r1',
  organization: 'acme',
  createdBy: 'user:default/dana',
  members: [
    { userRef: 'user:default/ada', role: 'admin' as const },
    { userRef: 'user:default/dana', role: 'developer' as const },
  ],
};

describe('managed resource rules', () => {
  it('allows members by role and the requester, comparing refs without case', () => {
    const { inOrganizationWithRole, isRequester } = paasResourceRules;
    expect(
      inOrganizationWithRole.apply(resource, {
        claims: ['User:default/Ada'],
        roles: ['admin'],
      }),
    ).toBe(true);
    expect(
      inOrganizationWithRole.apply(resource, {
        claims: ['user:default/dana'],
        roles: ['admin'],
      }),
    ).toBe(false);
    expect(isRequester.apply(resource, { claims: ['user:default/DANA'] })).toBe(
      true,
    );
    expect(isRequester.apply(resource, { claims: ['user:default/ada'] })).toBe(
      false,
    );
    expect(isRequester.toQuery({ claims: ['User:default/Dana'] })).toEqual({
      type: 'submitted-by',
      claims: ['user:default/dana'],
    });
  });

  it('exports condition factories on the paas-resource type', () => {
    expect(
      paasResourceConditions.isRequester({ claims: ['user:default/dana'] }),
    ).toEqual({
      rule: 'IS_REQUESTER',
      resourceType: 'paas-resource',
      params: { claims: ['user:default/dana'] },
    });
  });
});
