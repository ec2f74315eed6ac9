import { Knex } from 'knex';

/** Organizations that publish, or adopt, the catalog group `name`. */
function organizationsClaiming(db: Knex, name: string, adopted: boolean) {
  return db('organizations').where(query => {
    query.where({ name });
    if (adopted) {
      query.orWhereRaw('LOWER(group_ref) = ?', [adoptedRef(name)]);
    }
  });
}

/** Teams whose `<organization>-<team>` is `name`, or that adopt the catalog group `name`. */
function teamsClaiming(db: Knex, name: string, adopted: boolean) {
  return db('teams').where(query => {
    query.whereRaw(`organization || '-' || name = ?`, [name]);
    if (adopted) {
      query.orWhereRaw('LOWER(group_ref) = ?', [adoptedRef(name)]);
    }
  });
}

function adoptedRef(name: string): string {
  return `group:default/${name}`.toLocaleLowerCase('en-US');
}

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
  const organizations = organizationsClaiming(db, name, true);
  const teams = teamsClaiming(db, name, true);
  if (self.team === undefined) {
    organizations.whereNot({ name: self.organization });
  } else {
    teams.whereNot(query =>
      query.where({ organization: self.organization, name: self.team }),
    );
  }
  const [organization, team] = await Promise.all([
    organizations.first('name'),
    teams.first('name'),
  ]);
  return Boolean(organization || team);
}

/**
 * True if Paasport names a group `name` for one of its own: an organization's name or a
 * team's `<organization>-<team>`. Such a group is not for anyone to adopt.
 */
export async function isPaasportGroupName(
  db: Knex,
  name: string,
): Promise<boolean> {
  const key = name.toLocaleLowerCase('en-US');
  const [organization, team] = await Promise.all([
    organizationsClaiming(db, key, false).first('name'),
    teamsClaiming(db, key, false).first('name'),
  ]);
  return Boolean(organization || team);
}
