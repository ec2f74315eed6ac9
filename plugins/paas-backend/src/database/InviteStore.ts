import { NotFoundError } from '@backstage/errors';
import { InviteCode, OrganizationRole } from '@paasport/plugin-paas-common';
import { Knex } from 'knex';
import { timingSafeEqual } from 'node:crypto';
import { Page, PageRequest, selectPage } from './keysetPagination';
import { MembershipStore } from './MembershipStore';
import { toIsoTimestamp } from './timestamps';

type RawInviteRow = {
  id: string;
  organization: string;
  role: OrganizationRole;
  code_hash: string;
  max_uses: number;
  uses: number;
  expires_at: Date | string;
  revoked_at: Date | string | null;
  created_by: string;
  created_at: Date | string;
};

/** What redeeming a code came to. Callers must not tell the user why a code was invalid. */
export type InviteRedemption =
  | {
      status: 'redeemed';
      inviteId: string;
      organization: string;
      role: OrganizationRole;
    }
  | { status: 'already-member'; inviteId: string; organization: string }
  | { status: 'invalid' };

/** Invite codes, kept only as hashes. */
export interface InviteStore {
  create(invite: {
    id: string;
    organization: string;
    role: OrganizationRole;
    codeHash: string;
    maxUses: number;
    expiresAt: Date;
    createdBy: string;
  }): Promise<InviteCode>;
  /** One page of the organization's codes, newest first, without their hashes. */
  list(organization: string, page: PageRequest): Promise<Page<InviteCode>>;
  /** Throws NotFoundError for an id the organization does not have; revoking twice is fine. */
  revoke(organization: string, id: string, now: Date): Promise<void>;
  /**
   * In one transaction: takes one use of the code if it is known, not revoked, not expired at
   * `now` and not used up, and makes the user a member in the code's role. Nothing changes
   * unless both happen.
   */
  redeem(options: {
    codeHash: string;
    userRef: string;
    now: Date;
  }): Promise<InviteRedemption>;
}

/** Thrown inside the redeem transaction to roll back the use it took. */
class AlreadyMember extends Error {
  constructor(readonly inviteId: string, readonly organization: string) {
    super('already a member');
  }
}

/**
 * InviteStore on Backstage's database. Timestamps it compares are written and compared as ISO
 * strings computed in JS, so PostgreSQL (timestamptz) and SQLite (text) agree on them.
 */
export class DatabaseInviteStore implements InviteStore {
  constructor(
    private readonly db: Knex,
    private readonly memberships: MembershipStore,
  ) {}

  async create(invite: {
    id: string;
    organization: string;
    role: OrganizationRole;
    codeHash: string;
    maxUses: number;
    expiresAt: Date;
    createdBy: string;
  }): Promise<InviteCode> {
    const [row] = await this.db<RawInviteRow>('invite_codes')
      .insert({
        id: invite.id,
        organization: invite.organization,
        role: invite.role,
        code_hash: invite.codeHash,
        max_uses: invite.maxUses,
        expires_at: invite.expiresAt.toISOString(),
        created_by: invite.createdBy,
      })
      .returning('*');
    return toInviteCode(row);
  }

  async list(
    organization: string,
    page: PageRequest,
  ): Promise<Page<InviteCode>> {
    const { rows, nextCursor } = await selectPage<RawInviteRow>(
      this.db('invite_codes').where({ organization }),
      {
        list: 'invites',
        columns: [
          { column: 'created_at', type: 'timestamp', order: 'desc' },
          { column: 'id', type: 'string' },
        ],
        page,
      },
    );
    return { items: rows.map(toInviteCode), nextCursor };
  }

  async revoke(organization: string, id: string, now: Date): Promise<void> {
    const revoked = await this.db('invite_codes')
      .where({ organization, id })
      .whereNull('revoked_at')
      .update({ revoked_at: now.toISOString() });
    if (revoked > 0) {
      return;
    }
    const known = await this.db('invite_codes')
      .where({ organization, id })
      .first('id');
    if (!known) {
      throw new NotFoundError(`No invite code '${id}' in '${organization}'`);
    }
  }

  async redeem(options: {
    codeHash: string;
    userRef: string;
    now: Date;
  }): Promise<InviteRedemption> {
    const { codeHash, userRef, now } = options;
    try {
      return await this.db.transaction(async tx => {
        const row = await tx<RawInviteRow>('invite_codes')
          .where({ code_hash: codeHash })
          .first('id', 'organization', 'role', 'code_hash');
        if (!row || !sameHash(row.code_hash, codeHash)) {
          return { status: 'invalid' as const };
        }
        // The guard re-checks under the row lock, so concurrent redeemers cannot overdraw uses.
        const claimed = await tx('invite_codes')
          .where({ id: row.id, code_hash: codeHash })
          .whereNull('revoked_at')
          .andWhere('expires_at', '>', now.toISOString())
          .andWhere('uses', '<', tx.ref('max_uses'))
          .increment('uses', 1);
        if (claimed === 0) {
          return { status: 'invalid' as const };
        }
        try {
          await this.memberships.add(
            {
              organization: row.organization,
              userRef,
              role: row.role,
              by: userRef,
            },
            tx,
          );
        } catch (error) {
          if ((error as Error)?.name === 'ConflictError') {
            throw new AlreadyMember(row.id, row.organization);
          }
          throw error;
        }
        return {
          status: 'redeemed' as const,
          inviteId: row.id,
          organization: row.organization,
          role: row.role,
        };
      });
    } catch (error) {
      if (error instanceof AlreadyMember) {
        return {
          status: 'already-member',
          inviteId: error.inviteId,
          organization: error.organization,
        };
      }
      throw error;
    }
  }
}

/** Defence in depth after the indexed lookup: compare the hashes in constant time. */
function sameHash(stored: string, computed: string): boolean {
  const a = Buffer.from(stored, 'hex');
  const b = Buffer.from(computed, 'hex');
  return a.length === 32 && a.length === b.length && timingSafeEqual(a, b);
}

function toInviteCode(row: RawInviteRow): InviteCode {
  return {
    id: row.id,
    organization: row.organization,
    role: row.role,
    maxUses: Number(row.max_uses),
    uses: Number(row.uses),
    expiresAt: toIsoTimestamp(row.expires_at),
    ...(row.revoked_at ? { revokedAt: toIsoTimestamp(row.revoked_at) } : {}),
    createdBy: row.created_by,
    createdAt: toIsoTimestamp(row.created_at),
  };
}
