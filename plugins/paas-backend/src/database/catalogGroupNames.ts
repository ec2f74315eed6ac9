import { Knex } from 'knex';

/**
 * True if a catalog group name is already someone's: the name of an organization, a team's
 * `<organization>-<team>`, or a default-namespace group an organization or team adopts.
 * `self` is left out, so an organization or team never collides with itself. Paasport names
 * are lower-case; adopted refs are compared case-insensitively, as the catalog does.
 */
export async function isCatalogGroupNameTaken(
  db: Knex,
  name: string,
  self: { organization: string; team?: string },
): Promise<boolean> {
  const adoptedRef = `group:default/${name}`.toLocaleLowerCase('en-US');
  const isSelf = (query: Knex.QueryBuilder) =>
    self.team === undefined
      ? query.where({ name: self.organization })
      : query.where({ organization: self.organization, name: self.team });

  const organizations = db('organizations').where(query =>
    query.where({ name }).orWhereRaw('LOWER(group_ref) = ?', [adoptedRef]),
  );
  const teams = db('teams').where(query =>
    query
      .whereRaw(`organization || '-' || name = ?`, [name])
      .orWhereRaw('LOWER(group_ref) = ?', [adoptedRef]),
  );
  if (self.team === undefined) {
    organizations.whereNot(isSelf);
  } else {
    teams.whereNot(isSelf);
  }
  const [organization, team] = await Promise.all([
    organizations.first('name'),
    teams.first('name'),
  ]);
  return Boolean(organization || team);
}
