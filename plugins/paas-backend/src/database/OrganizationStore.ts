import { ConflictError } from '@backstage/errors';
import { Organization } from '@paasport/plugin-paas-common';
import { Knex } from 'knex';
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
  list(): Promise<Organization[]>;
  get(name: string): Promise<Organization | undefined>;
  /** Throws ConflictError when the name or the adopted group is taken. */
  create(organization: Omit<Organization, 'createdAt'>): Promise<Organization>;
}

/** OrganizationStore on Backstage's database (PostgreSQL or SQLite). */
export class DatabaseOrganizationStore implements OrganizationStore {
  constructor(private readonly db: Knex) {}

  async list(): Promise<Organization[]> {
    const rows = await this.db<RawOrganizationRow>('organizations').orderBy(
      'name',
    );
    return rows.map(toOrganization);
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
    const inserted = await this.db<RawOrganizationRow>('organizations')
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
      if (await this.get(organization.name)) {
        throw new ConflictError(
          `Organization '${organization.name}' already exists`,
        );
      }
      const adopter = await this.db<RawOrganizationRow>('organizations')
        .where({ group_ref: organization.groupRef ?? '' })
        .first();
      throw new ConflictError(
        `Group '${organization.groupRef}' is already adopted by organization '${adopter?.name}'`,
      );
    }
    return toOrganization(inserted[0]);
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
