import { PermissionCriteria } from '@backstage/plugin-permission-common';
import { ClusterAllocation } from '@paasport/plugin-paas-common';
import { OrganizationQuery } from '@paasport/plugin-paas-node';
import { Knex } from 'knex';
import { whereOrganizationMatches } from './organizationCriteria';

/** What one organization holds on one cluster. */
export type ClusterOrganizationAllocation = ClusterAllocation & {
  cluster: string;
};

/** What each organization's deployments hold on each cluster. */
export interface ClusterAllocationStore {
  /**
   * Per cluster and organization, by cluster then organization: the totals of admitted and
   * running deployments. Only the given clusters, and only organizations matching the
   * criteria, when those are given.
   */
  list(filter: {
    clusters?: string[];
    criteria?: PermissionCriteria<OrganizationQuery>;
  }): Promise<ClusterOrganizationAllocation[]>;
}

/** ClusterAllocationStore on Backstage's database (PostgreSQL or SQLite). */
export class DatabaseClusterAllocationStore implements ClusterAllocationStore {
  constructor(private readonly db: Knex) {}

  async list(filter: {
    clusters?: string[];
    criteria?: PermissionCriteria<OrganizationQuery>;
  }): Promise<ClusterOrganizationAllocation[]> {
    const { db } = this;
    const query = db('deployments')
      .select('cluster', 'organization')
      .sum({
        cpu: db.raw('replicas * cpu_millicores'),
        memory: db.raw('replicas * memory_mib'),
        gpus: db.raw('replicas * gpus'),
      })
      .whereIn('state', ['admitted', 'running'])
      .whereNotNull('cluster')
      .groupBy('cluster', 'organization')
      .orderBy([
        { column: 'cluster', order: 'asc' },
        { column: 'organization', order: 'asc' },
      ]);
    if (filter.clusters) {
      query.whereIn('cluster', filter.clusters);
    }
    const { criteria } = filter;
    if (criteria) {
      query.whereIn('organization', visible => {
        visible.select('organizations.name').from('organizations');
        whereOrganizationMatches(db, visible, criteria);
      });
    }
    const rows = (await query) as Array<{
      cluster: string;
      organization: string;
      cpu: number | string;
      memory: number | string;
      gpus: number | string;
    }>;
    return rows.map(row => ({
      cluster: row.cluster,
      organization: row.organization,
      cpuMillicores: Number(row.cpu),
      memoryMib: Number(row.memory),
      gpus: Number(row.gpus),
    }));
  }
}
