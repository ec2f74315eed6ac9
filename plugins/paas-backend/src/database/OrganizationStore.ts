import { ConflictError } from '@backstage/errors';
import { PermissionCriteria } from '@backstage/plugin-permission-common';
import { Organization } from '@paasport/plugin-paas-common';
import {
  OrganizationQuery,
  OrganizationResource,
} from '@paasport/plugin-paas-node';
import { Knex } from 'knex';
import {
  isCatalogGroupNameTaken,
  isPaasportGroupName,
} from './catalogGroupNames';
import { Page, PageRequest, selectPage } from './keysetPagination';
import { whereOrganizationMatches } from './organizationCriteria';
import { toIsoTimestamp } from './timestamps';

type RawOrganizationRow = {
  name: string;
  title: string;
  description: string | null;
  group_ref: string | null;
  created_by: string;
  created_at: Date | string;
};

/** Persistence of organizations. */
export interface OrganizationStore {
  /** One page of every organization, or of those matching permission criteria, by name. */
  list(
    filter: PermissionCriteria<OrganizationQuery> | undefined,
    page: PageRequest,
  ): Promise<Page<Organization>>;
  get(name: string): Promise<Organization | undefined>;
  /** Organizations with their members' roles, for permission rules; undefined where unknown. */
  getResources(
    names: string[],
  ): Promise<Array<OrganizationResource | undefined>>;
  /**
   * Creates the organization with its creator as its first admin. Throws ConflictError when
   * the name or the adopted group is taken.
   */
  create(organization: Omit<Organization, 'createdAt'>): Promise<Organization>;
  /** True if `name` is another organization's or a team's catalog group name, or adopted. */
  isGroupNameTaken(name: string): Promise<boolean>;
  /** True if `name` is an organization's name or a team's `<organization>-<team>`. */
  isPaasportGroupName(name: string): Promise<boolean>;
}

/** OrganizationStore on Backstage's database (PostgreSQL or SQLite). */
export class DatabaseOrganizationStore implements OrganizationStore {
  constructor(private readonly db: Knex) {}

  async list(
    filter: PermissionCriteria<OrganizationQuery> | undefined,
    page: PageRequest,
  ): Promise<Page<Organization>> {
    const query = this.db('organizations');
    if (filter) {
      whereOrganizationMatches(this.db, query, filter);
    }
    const { rows, nextCursor } = await selectPage<RawOrganizationRow>(query, {
      list: 'organizations',
      columns: [{ column: 'name', type: 'string' }],
      page,
    });
    return { items: rows.map(toOrganization), nextCursor };
  }

  async getResources(
    names: string[],
  ): Promise<Array<OrganizationResource | undefined>> {
    const rows = await this.db<RawOrganizationRow>('organizations').whereIn(
      'name',
      names,
    );
    const members = await this.db('memberships')
      .whereIn('organization', names)
      .select('organization', 'user_ref', 'role');
    return names.map(name => {
      const row = rows.find(r => r.name === name);
      return (
        row && {
          ...toOrganization(row),
          members: members
            .filter(m => m.organization === name)
            .map(m => ({ userRef: m.user_ref, role: m.role })),
        }
      );
    });
  }

  async get(name: string): Promise<Organization | undefined> {
    const row = await this.db<RawOrganizationRow>('organizations')
      .where({ name })
      .first();
    return row && toOrganization(row);
  }

  async create(
    organization: Omit<Organization, 'createdAt'>,
  ): Promise<Organization> {
    return this.db.transaction(async tx => {
      const inserted = await tx<RawOrganizationRow>('organizations')
        .insert({
          name: organization.name,
          title: organization.title,
          description: organization.description ?? null,
          group_ref: organization.groupRef ?? null,
          created_by: organization.createdBy,
        })
        .onConflict()
        .ignore()
        .returning('*');
      if (inserted.length === 0) {
        const taken = await tx<RawOrganizationRow>('organizations')
          .where({ name: organization.name })
          .first();
        if (taken) {
          throw new ConflictError(
            `Organization '${organization.name}' already exists`,
          );
        }
        const adopter = await tx<RawOrganizationRow>('organizations')
          .where({ group_ref: organization.groupRef ?? '' })
          .first();
        throw new ConflictError(
          `Group '${organization.groupRef}' is already adopted by organization '${adopter?.name}'`,
        );
      }
      if (organization.createdBy.startsWith('user:')) {
        await tx('memberships').insert({
          organization: organization.name,
          user_ref: organization.createdBy.toLocaleLowerCase('en-US'),
          role: 'admin',
          created_by: organization.createdBy,
        });
      }
      return toOrganization(inserted[0]);
    });
  }

  isGroupNameTaken(name: string): Promise<boolean> {
    return isCatalogGroupNameTaken(this.db, name, { organization: name });
  }

  isPaasportGroupName(name: string): Promise<boolean> {
    return isPaasportGroupName(this.db, name);
  }
}

function toOrganization(row: RawOrganizationRow): Organization {
  return {
    name: row.name,
    title: row.title,
    ...(row.description ? { description: row.description } : {}),
    ...(row.group_ref ? { groupRef: row.group_ref } : {}),
    createdBy: row.created_by,
    createdAt: toIsoTimestamp(row.created_at),
  };
}
