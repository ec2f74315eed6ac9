import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogApi } from '@backstage/plugin-catalog-react';
import {
  PAAS_ORGANIZATION_ANNOTATION,
  PAAS_TEAM_ANNOTATION,
} from '@paasport/plugin-paas-common';

/** The Paasport team a form's owner stands for, or why it stands for none. */
export type OwnerTeam =
  | { type: 'team'; organization: string; team: string }
  | { type: 'not-a-team'; message: string };

/**
 * The Paasport team behind a group reference such as `group:default/acme-payments-checkout`,
 * read from the `paasport.io/organization` and `paasport.io/team` annotations Paasport puts on
 * the groups it publishes for teams.
 */
export async function findOwnerTeam(
  catalogApi: CatalogApi,
  owner: string,
): Promise<OwnerTeam> {
  let ref: string;
  try {
    ref = stringifyEntityRef(
      parseEntityRef(owner, {
        defaultKind: 'group',
        defaultNamespace: 'default',
      }),
    );
  } catch (error) {
    return {
      type: 'not-a-team',
      message: `${owner} is not an entity reference: ${
        (error as Error).message
      }`,
    };
  }
  if (!ref.startsWith('group:')) {
    return { type: 'not-a-team', message: `${owner} is not a group` };
  }
  const entity = await catalogApi.getEntityByRef(ref);
  if (!entity) {
    return {
      type: 'not-a-team',
      message: `${ref} is not in the catalog`,
    };
  }
  const annotations = entity.metadata.annotations ?? {};
  const organization = annotations[PAAS_ORGANIZATION_ANNOTATION];
  const team = annotations[PAAS_TEAM_ANNOTATION];
  if (!organization || !team) {
    return {
      type: 'not-a-team',
      message: `${ref} is not the group of a Paasport team, so no Paasport quota applies to it`,
    };
  }
  return { type: 'team', organization, team };
}
