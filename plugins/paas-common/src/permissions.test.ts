import { isResourcePermission } from '@backstage/plugin-permission-common';
import { paasPermissions } from './permissions';

describe('paasPermissions', () => {
  it('has unique dotted names under paas.', () => {
    const names = paasPermissions.map(p => p.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) {
      expect(name).toMatch(/^paas\.[a-z]+\.[a-z]+$/);
    }
  });

  it("scopes everything but the platform team's permissions and reading clusters to a resource", () => {
    const global = paasPermissions
      .filter(p => !isResourcePermission(p))
      .map(p => p.name)
      .sort();
    expect(global).toEqual([
      'paas.cluster.manage',
      'paas.cluster.read',
      'paas.org.create',
      'paas.quota.manage',
    ]);
  });
});
