import { parseEntityRef } from '@backstage/catalog-model';
import { ManagedResource } from '@paasport/plugin-paas-common';

/**
 * Tags (AWS) or labels (Kubernetes) every object of a resource carries, besides the
 * provider's own `paasport.io/resource-id`. Values are valid as both: short, and no `:` or
 * `/`, so entity refs are reduced to their names.
 */
export function resourceTags(
  resource: Pick<
    ManagedResource,
    'organization' | 'team' | 'name' | 'component'
  >,
): Record<string, string> {
  return {
    'paasport.io/managed-by': 'paasport',
    'paasport.io/organization': resource.organization,
    'paasport.io/team': resource.team,
    'paasport.io/name': resource.name,
    'paasport.io/cost-center': `${resource.organization}-${resource.team}`,
    ...(resource.component
      ? { 'paasport.io/component': parseEntityRef(resource.component).name }
      : {}),
  };
}
