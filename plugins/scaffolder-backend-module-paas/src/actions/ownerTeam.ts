import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { PaasService } from '@paasport/plugin-paas-node';

/**
 * The organization and team a catalog group stands for. Paasport publishes each team as the
 * group `<organization>-<team>`, so the group's name is split where an organization the
 * caller can see ends and one of its teams begins.
 */
export async function resolveOwnerTeam(
  paas: PaasService,
  owner: string,
  credentials: BackstageCredentials,
): Promise<{ organization: string; team: string }> {
  let name: string;
  try {
    const ref = parseEntityRef(owner, {
      defaultKind: 'group',
      defaultNamespace: 'default',
    });
    if (ref.kind.toLocaleLowerCase('en-US') !== 'group') {
      throw new Error(`${owner} is a ${ref.kind}`);
    }
    name = ref.name;
  } catch (error) {
    throw new InputError(
      `Invalid resource: owner: must be a group reference such as group:default/acme-checkout (${
        (error as Error).message
      })`,
    );
  }
  const organizations = await paas.listOrganizations({ credentials });
  const matches: Array<{ organization: string; team: string }> = [];
  for (const { name: organization } of organizations) {
    if (!name.startsWith(`${organization}-`)) {
      continue;
    }
    const team = name.slice(organization.length + 1);
    const teams = await paas.listTeams(organization, { credentials });
    if (teams.some(t => t.name === team)) {
      matches.push({ organization, team });
    }
  }
  if (matches.length === 1) {
    return matches[0];
  }
  if (matches.length === 0) {
    throw new InputError(
      `Invalid resource: owner: ${owner} is not the group of a Paasport team you are a member of`,
    );
  }
  throw new InputError(
    `Invalid resource: owner: ${owner} could be ${matches
      .map(m => `team ${m.team} of ${m.organization}`)
      .join(' or ')}; give organization and team instead`,
  );
}
