import {
  isAndCriteria,
  isNotCriteria,
  isOrCriteria,
} from '@backstage/plugin-permission-node';
import { PermissionCriteria } from '@backstage/plugin-permission-common';
import { OrganizationQuery } from '@paasport/plugin-paas-node';
import { Knex } from 'knex';

/**
 * Narrows a query over `organizations` to the rows that satisfy permission criteria, in SQL,
 * so a list never loads what the caller may not see.
 */
export function whereOrganizationMatches(
  db: Knex,
  query: Knex.QueryBuilder,
  criteria: PermissionCriteria<OrganizationQuery>,
): void {
  if (isAndCriteria(criteria)) {
    query.where(all => {
      for (const child of criteria.allOf) {
        all.andWhere(sub => whereOrganizationMatches(db, sub, child));
      }
    });
  } else if (isOrCriteria(criteria)) {
    query.where(any => {
      for (const child of criteria.anyOf) {
        any.orWhere(sub => whereOrganizationMatches(db, sub, child));
      }
    });
  } else if (isNotCriteria(criteria)) {
    query.whereNot(sub => whereOrganizationMatches(db, sub, criteria.not));
  } else {
    query.whereIn(
      'organizations.name',
      db('memberships')
        .select('organization')
        .whereIn('user_ref', criteria.claims)
        .whereIn('role', criteria.roles),
    );
  }
}
