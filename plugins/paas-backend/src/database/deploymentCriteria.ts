import {
  isAndCriteria,
  isNotCriteria,
  isOrCriteria,
} from '@backstage/plugin-permission-node';
import { PermissionCriteria } from '@backstage/plugin-permission-common';
import { DeploymentQuery } from '@paasport/plugin-paas-node';
import { Knex } from 'knex';

/**
 * Narrows a query over `deployments` to the rows that satisfy permission criteria, in SQL,
 * so a list never loads what the caller may not see.
 */
export function whereDeploymentMatches(
  db: Knex,
  query: Knex.QueryBuilder,
  criteria: PermissionCriteria<DeploymentQuery>,
): void {
  if (isAndCriteria(criteria)) {
    query.where(all => {
      for (const child of criteria.allOf) {
        all.andWhere(sub => whereDeploymentMatches(db, sub, child));
      }
    });
  } else if (isOrCriteria(criteria)) {
    query.where(any => {
      for (const child of criteria.anyOf) {
        any.orWhere(sub => whereDeploymentMatches(db, sub, child));
      }
    });
  } else if (isNotCriteria(criteria)) {
    query.whereNot(sub => whereDeploymentMatches(db, sub, criteria.not));
  } else if (criteria.type === 'submitted-by') {
    query.whereIn('deployments.created_by', criteria.claims);
  } else {
    query.whereIn(
      'deployments.organization',
      db('memberships')
        .select('organization')
        .whereIn('user_ref', criteria.claims)
        .whereIn('role', criteria.roles),
    );
  }
}
