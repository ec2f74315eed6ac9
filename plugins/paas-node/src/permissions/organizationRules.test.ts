import {
  hasOrganizationRole,
  paasOrganizationConditions,
} from './organizationRules';

const acme = {
  name: 'acme',
  title: 'Acme',
  createdBy: 'user:default/root',
  createdAt: '2026-11-22T00:00:00.000Z',
  members: [
    { userRef: 'user:default/ada', role: 'admin' as const },
    { userRef: 'user:default/alan', role: 'viewer' as const },
  ],
};

describe('hasOrganizationRole', () => {
  it('allows a claim that holds one of the roles, comparing refs without case', () => {
    expect(
      hasOrganizationRole.apply(acme, {
        claims: ['user:default/Ada'],
        roles: ['admin'],
      }),
    ).toBe(true);
    expect(
      hasOrganizationRole.apply(acme, {
        claims: ['user:default/alan'],
        roles: ['admin', 'developer'],
      }),
    ).toBe(false);
    expect(
      hasOrganizationRole.apply(acme, {
        claims: ['user:default/grace'],
        roles: ['viewer'],
      }),
    ).toBe(false);
  });

  it('turns into a store query with lower-cased claims', () => {
    expect(
      hasOrganizationRole.toQuery({
        claims: ['user:default/Ada'],
        roles: ['admin'],
      }),
    ).toEqual({
      type: 'has-role',
      claims: ['user:default/ada'],
      roles: ['admin'],
    });
  });

  it('exports a condition factory for policies', () => {
    expect(
      paasOrganizationConditions.hasOrganizationRole({
        claims: ['user:default/ada'],
        roles: ['admin'],
      }),
    ).toEqual({
      rule: 'HAS_ORGANIZATION_ROLE',
      resourceType: 'paas-organization',
      params: { claims: ['user:default/ada'], roles: ['admin'] },
    });
  });
});
