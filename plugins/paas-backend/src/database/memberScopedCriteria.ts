import {
  isAndCriteria,
  isNotCriteria,
  isOrCriteria,
} from '@backstage/plugin-permission-node';
import { PermissionCriteria } from '@backstage/plugin-permission-common';
import {
  MemberScopedQuery,
  MemberScopedResource,
} from '@paasport/plugin-paas-node';
import { Knex } from 'knex';

/** A table of member-scoped rows and the columns the rules look at. */
export interface MemberScopedTable {
  organization: string;
  createdBy: string;
}

export const DEPLOYMENTS_TABLE: MemberScopedTable = {
  organization: 'deployments.organization',
  createdBy: 'deployments.created_by',
};

export const RESOURCES_TABLE: MemberScopedTable = {
  organization: 'resources.organization',
  createdBy: 'resources.requested_by',
};

/**
 * Narrows a query over deployments or resources to the rows that satisfy permission
 * criteria, in SQL, so a list never loads what the caller may not see.
 */
export function whereMemberScopedMatches(
  db: Knex,
  query: Knex.QueryBuilder,
  criteria: PermissionCriteria<MemberScopedQuery>,
  table: MemberScopedTable,
): void {
  if (isAndCriteria(criteria)) {
    query.where(all => {
      for (const child of criteria.allOf) {
        all.andWhere(sub => whereMemberScopedMatches(db, sub, child, table));
      }
    });
  } else if (isOrCriteria(criteria)) {
    query.where(any => {
      for (const child of criteria.anyOf) {
        any.orWhere(sub => whereMemberScopedMatches(db, sub, child, table));
      }
    });
  } else if (isNotCriteria(criteria)) {
    query.whereNot(sub =>
      whereMemberScopedMatches(db, sub, criteria.not, table),
    );
  } else if (criteria.type === 'submitted-by') {
    query.whereIn(table.createdBy, criteria.claims);
  } else {
    query.whereIn(
      table.organization,
      db('memberships')
        .select('organization')
        .whereIn('user_ref', criteria.claims)
        .whereIn('role', criteria.roles),
    );
  }
}

/**
 * Rows of `table` as permission rules see them, in the order of `ids`; undefined for ids
 * that do not exist.
 */
export async function loadMemberScopedResources(
  db: Knex,
  table: 'deployments' | 'resources',
  ids: string[],
): Promise<Array<MemberScopedResource | undefined>> {
  const createdBy = table === 'deployments' ? 'created_by' : 'requested_by';
  const rows: Array<{ id: string; organization: string; created_by: string }> =
    await db(table)
      .whereIn('id', ids)
      .select('id', 'organization', `${createdBy} as created_by`);
  const members = await db('memberships')
    .whereIn('organization', [...new Set(rows.map(r => r.organization))])
    .select('organization', 'user_ref', 'role');
  return ids.map(id => {
    const row = rows.find(r => r.id === id);
    return (
      row && {
        id: row.id,
        organization: row.organization,
        createdBy: row.created_by,
        members: members
          .filter(m => m.organization === row.organization)
          .map(m => ({ userRef: m.user_ref, role: m.role })),
      }
    );
  });
}
