import { ConflictError, NotFoundError } from '@backstage/errors';
import { Membership, OrganizationRole } from '@paasport/plugin-paas-common';
import { Knex } from 'knex';
import { Page, PageRequest, selectPage } from './keysetPagination';
import { toIsoTimestamp } from './timestamps';
import { normalizeUserRef } from './userRefs';

type RawMembershipRow = {
  organization: string;
  user_ref: string;
  role: OrganizationRole;
  created_by: string;
  created_at: Date | string;
};

/** Who belongs to which organization and team, in which role. */
export interface MembershipStore {
  /** One page of the organization's members, by user reference. */
  listMembers(
    organization: string,
    page: PageRequest,
  ): Promise<Page<Membership>>;
  /** Memberships of any of these refs, across organizations. */
  listForUser(userRefs: string[]): Promise<Membership[]>;
  get(organization: string, userRef: string): Promise<Membership | undefined>;
  /**
   * Adds the user, or changes their role. Throws ConflictError when that would leave the
   * organization without an admin.
   */
  setRole(options: {
    organization: string;
    userRef: string;
    role: OrganizationRole;
    by: string;
  }): Promise<{ membership: Membership; previousRole?: OrganizationRole }>;
  /** Adds a member; throws ConflictError if they already are one. Use within a transaction. */
  add(
    options: {
      organization: string;
      userRef: string;
      role: OrganizationRole;
      by: string;
    },
    tx?: Knex.Transaction,
  ): Promise<void>;
  /** Throws NotFoundError if not a member, ConflictError if it is the last admin. */
  remove(organization: string, userRef: string): Promise<void>;
  addToTeam(organization: string, team: string, userRef: string): Promise<void>;
  removeFromTeam(
    organization: string,
    team: string,
    userRef: string,
  ): Promise<void>;
}

const LAST_ADMIN =
  'An organization needs at least one admin; make someone else admin first';

export class DatabaseMembershipStore implements MembershipStore {
  constructor(private readonly db: Knex) {}

  async listMembers(
    organization: string,
    page: PageRequest,
  ): Promise<Page<Membership>> {
    const { rows, nextCursor } = await selectPage<RawMembershipRow>(
      this.db('memberships').where({ organization }),
      {
        list: 'members',
        columns: [{ column: 'user_ref', type: 'string' }],
        page,
      },
    );
    return { items: await this.withTeams(rows), nextCursor };
  }

  async listForUser(userRefs: string[]): Promise<Membership[]> {
    const rows = await this.db<RawMembershipRow>('memberships')
      .whereIn('user_ref', userRefs.map(normalizeUserRef))
      .orderBy('organization');
    return this.withTeams(rows);
  }

  async get(organization: string, userRef: string) {
    const row = await this.db<RawMembershipRow>('memberships')
      .where({ organization, user_ref: normalizeUserRef(userRef) })
      .first();
    return row && (await this.withTeams([row]))[0];
  }

  async setRole(options: {
    organization: string;
    userRef: string;
    role: OrganizationRole;
    by: string;
  }) {
    const userRef = normalizeUserRef(options.userRef);
    const { organization, role } = options;
    const previous = await this.db.transaction(async tx => {
      await lockOrganization(tx, organization);
      const row = await tx<RawMembershipRow>('memberships')
        .where({ organization, user_ref: userRef })
        .first();
      if (!row) {
        await this.add(options, tx);
      } else if (row.role !== role) {
        const updated = await tx('memberships')
          .where({ organization, user_ref: userRef })
          .andWhere(guard =>
            guard
              .whereRaw('? = ?', [role, 'admin'])
              .orWhereExists(otherAdmins(tx, organization, userRef)),
          )
          .update({ role });
        if (updated === 0) {
          throw new ConflictError(LAST_ADMIN);
        }
      }
      return row;
    });
    return {
      membership: (await this.get(organization, userRef))!,
      previousRole: previous?.role,
    };
  }

  async add(
    options: {
      organization: string;
      userRef: string;
      role: OrganizationRole;
      by: string;
    },
    tx?: Knex.Transaction,
  ) {
    const inserted = await (tx ?? this.db)('memberships')
      .insert({
        organization: options.organization,
        user_ref: normalizeUserRef(options.userRef),
        role: options.role,
        created_by: options.by,
      })
      .onConflict(['organization', 'user_ref'])
      .ignore()
      .returning('user_ref');
    if (inserted.length === 0) {
      throw new ConflictError(
        `${options.userRef} is already a member of '${options.organization}'`,
      );
    }
  }

  async remove(organization: string, userRef: string) {
    const ref = normalizeUserRef(userRef);
    let deleted = 0;
    await this.db.transaction(async tx => {
      await lockOrganization(tx, organization);
      deleted = await tx('memberships')
        .where({ organization, user_ref: ref })
        .andWhere(guard =>
          guard
            .whereNot('role', 'admin')
            .orWhereExists(otherAdmins(tx, organization, ref)),
        )
        .delete();
    });
    if (deleted === 0) {
      if (await this.get(organization, ref)) {
        throw new ConflictError(LAST_ADMIN);
      }
      throw new NotFoundError(
        `${userRef} is not a member of '${organization}'`,
      );
    }
  }

  async addToTeam(organization: string, team: string, userRef: string) {
    const ref = normalizeUserRef(userRef);
    if (!(await this.get(organization, ref))) {
      throw new NotFoundError(
        `${userRef} is not a member of '${organization}'; add them to the organization first`,
      );
    }
    await this.db('team_members')
      .insert({ organization, team, user_ref: ref })
      .onConflict(['organization', 'team', 'user_ref'])
      .ignore();
  }

  async removeFromTeam(organization: string, team: string, userRef: string) {
    const deleted = await this.db('team_members')
      .where({ organization, team, user_ref: normalizeUserRef(userRef) })
      .delete();
    if (deleted === 0) {
      throw new NotFoundError(`${userRef} is not in team '${team}'`);
    }
  }

  private async withTeams(rows: RawMembershipRow[]): Promise<Membership[]> {
    if (rows.length === 0) {
      return [];
    }
    const teams = await this.db('team_members')
      .whereIn('organization', [...new Set(rows.map(r => r.organization))])
      .whereIn('user_ref', [...new Set(rows.map(r => r.user_ref))])
      .orderBy('team')
      .select('organization', 'team', 'user_ref');
    return rows.map(row => ({
      organization: row.organization,
      userRef: row.user_ref,
      role: row.role,
      teams: teams
        .filter(
          t =>
            t.organization === row.organization && t.user_ref === row.user_ref,
        )
        .map(t => t.team),
      createdBy: row.created_by,
      createdAt: toIsoTimestamp(row.created_at),
    }));
  }
}

/**
 * Serializes changes to one organization's admins: a no-op update takes the organization
 * row's lock on PostgreSQL (SQLite serializes writers anyway), so two demotions of the last
 * two admins cannot both see the other one still in place.
 */
async function lockOrganization(tx: Knex.Transaction, organization: string) {
  await tx('organizations')
    .where({ name: organization })
    .update({ name: organization });
}

function otherAdmins(db: Knex, organization: string, userRef: string) {
  return db('memberships as other')
    .select(db.raw('1'))
    .where('other.organization', organization)
    .andWhere('other.role', 'admin')
    .andWhereNot('other.user_ref', userRef);
}
