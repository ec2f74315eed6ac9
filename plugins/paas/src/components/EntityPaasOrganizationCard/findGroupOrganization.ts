import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { Organization } from '@paasport/plugin-paas-common';
import { PAAS_ORGANIZATION_ANNOTATION } from '@paasport/plugin-paas-common';
import { PaasApi } from '../../api';
import { isNotFoundError } from '../../api/errors';

// Entity references compare case-insensitively in the catalog.
function normalizeRef(ref: string): string | undefined {
  try {
    return stringifyEntityRef(
      parseEntityRef(ref, {
        defaultKind: 'group',
        defaultNamespace: 'default',
      }),
    ).toLocaleLowerCase('en-US');
  } catch {
    return undefined;
  }
}

/**
 * The Paasport organization behind a Group entity: the one named by the group's
 * `paasport.io/organization` annotation (groups Paasport published), else the one that adopted
 * the group through its `groupRef`. Undefined when Paasport does not manage the group.
 */
export async function findGroupOrganization(
  paasApi: PaasApi,
  entity: Entity,
): Promise<Organization | undefined> {
  const annotated = entity.metadata.annotations?.[PAAS_ORGANIZATION_ANNOTATION];
  if (annotated) {
    try {
      return await paasApi.getOrganization(annotated);
    } catch (error) {
      if (!isNotFoundError(error)) {
        throw error;
      }
    }
  }

  const entityRef = normalizeRef(stringifyEntityRef(entity));
  const organizations = await paasApi.listOrganizations();
  return organizations.find(
    organization =>
      organization.groupRef !== undefined &&
      normalizeRef(organization.groupRef) === entityRef,
  );
}
