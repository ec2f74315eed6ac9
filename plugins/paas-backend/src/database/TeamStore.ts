import { ConflictError } from '@backstage/errors';
import { Team, teamGroupName } from '@paasport/plugin-paas-common';
import { Knex } from 'knex';
import {
  isCatalogGroupNameTaken,
  isPaasportGroupName,
} from './catalogGroupNames';
import { Page, PageRequest, selectPage } from './keysetPagination';
import { toIsoTimestamp } from './timestamps';

type RawTeamRow = {
  organization: string;
  name: string;
  title: string;
  description: string | null;
  group_ref: string | null;
  created_by: string;
  created_at: Date | string;
};

/** Teams of organizations. */
export interface TeamStore {
  /** One page of the organization's teams, by name. */
  list(organization: string, page: PageRequest): Promise<Page<Team>>;
  get(organization: string, name: string): Promise<Team | undefined>;
  /** Throws ConflictError when the name or the adopted group is taken. */
  create(team: Omit<Team, 'createdAt'>): Promise<Team>;
  /**
   * True if `<organization>-<team>` is another organization's or team's catalog group name,
   * or names a group one of them adopts.
   */
  isGroupNameTaken(organization: string, team: string): Promise<boolean>;
  /** True if `name` is an organization's name or a team's `<organization>-<team>`. */
  isPaasportGroupName(name: string): Promise<boolean>;
}

export class DatabaseTeamStore implements TeamStore {
  constructor(private readonly db: Knex) {}

  async list(organization: string, page: PageRequest): Promise<Page<Team>> {
    const { rows, nextCursor } = await selectPage<RawTeamRow>(
      this.db('teams').where({ organization }),
      { list: 'teams', columns: [{ column: 'name', type: 'string' }], page },
    );
    return { items: rows.map(toTeam), nextCursor };
  }

  async get(organization: string, name: string) {
    const row = await this.db<RawTeamRow>('teams')
      .where({ organization, name })
      .first();
    return row && toTeam(row);
  }

  async create(team: Omit<Team, 'createdAt'>): Promise<Team> {
    const inserted = await this.db<RawTeamRow>('teams')
      .insert({
        organization: team.organization,
        name: team.name,
        title: team.title,
        description: team.description ?? null,
        group_ref: team.groupRef ?? null,
        created_by: team.createdBy,
      })
      .onConflict()
      .ignore()
      .returning('*');
    if (inserted.length === 0) {
      if (await this.get(team.organization, team.name)) {
        throw new ConflictError(
          `Team '${team.name}' already exists in '${team.organization}'`,
        );
      }
      throw new ConflictError(
        `Group '${team.groupRef}' is already adopted by another team`,
      );
    }
    return toTeam(inserted[0]);
  }

  isGroupNameTaken(organization: string, team: string): Promise<boolean> {
    return isCatalogGroupNameTaken(this.db, teamGroupName(organization, team), {
      organization,
      team,
    });
  }

  isPaasportGroupName(name: string): Promise<boolean> {
    return isPaasportGroupName(this.db, name);
  }
}

function toTeam(row: RawTeamRow): Team {
  return {
    organization: row.organization,
    name: row.name,
    title: row.title,
    ...(row.description ? { description: row.description } : {}),
    ...(row.group_ref ? { groupRef: row.group_ref } : {}),
    createdBy: row.created_by,
    createdAt: toIsoTimestamp(row.created_at),
  };
}
