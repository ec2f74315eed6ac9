import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  MAX_QUOTA_AMOUNT,
  OrganizationQuotas,
  QuotaChange,
  QuotaLine,
  quotaDimensionSchema,
} from '@paasport/plugin-paas-common';
import { Knex } from 'knex';
import { toIsoTimestamp } from './timestamps';

type RawQuotaRow = {
  organization: string;
  team: string;
  dimension: string;
  limit_amount: number;
  used: number;
  allocated: number;
  updated_at: Date | string;
};

type RawReservationRow = {
  organization: string;
  team: string;
  dimension: string;
  amount: number;
  subject: string;
  created_at: Date | string;
};

type RawQuotaChangeRow = {
  id: number;
  organization: string;
  team: string;
  dimension: string;
  previous_limit: number | null;
  new_limit: number | null;
  changed_by: string;
  reason: string | null;
  created_at: Date | string;
};

/** What a subject (a resource, a deployment) needs, per dimension. */
export interface QuotaReservationRequest {
  organization: string;
  /** The team it is for; charged to the team's carve-out or else the shared pool. */
  team?: string;
  /** What holds the quota, such as `resource:<id>`; unique across organizations. */
  subject: string;
  amounts: Record<string, number>;
}

/** A limit as it is after a change, and what it was before (undefined when created). */
export interface QuotaLimitChange {
  line: QuotaLine;
  previousLimit?: number;
}

/**
 * Quotas of organizations and teams and the reservations that use them.
 *
 * Every change of one organization's dimension first takes the lock of the organization's row
 * (a no-op UPDATE), so reservations, releases and carve-outs of that dimension happen one
 * after another and each sees where the others charged. The guarded updates and the table's
 * CHECK constraint make over-allocation impossible even without that lock.
 *
 * GPUs: `gpus` counts GPUs of every type, so whatever is reserved as `gpus/<type>` is also
 * reserved as `gpus`. A per-type quota is optional: without one the typed reservation is only
 * recorded, and counts once a per-type quota is set. Every other dimension must have a quota:
 * a reservation in a dimension the organization has no quota for is refused.
 */
export interface QuotaStore {
  /** The organization's lines (usage of the whole organization) and each team's carve-outs. */
  get(organization: string): Promise<OrganizationQuotas>;
  /** Whether the organization has a limit on `dimension`; within `tx` when given. */
  isLimited(
    tx: Knex.Transaction | undefined,
    organization: string,
    dimension: string,
  ): Promise<boolean>;
  /**
   * Creates or changes the organization's own limit. Throws ConflictError when the new limit
   * is below what is carved out and used. Within `tx` when given, so a caller can make the
   * change part of its own transaction.
   */
  setOrganizationLimit(
    organization: string,
    dimension: string,
    limit: number,
    by: string,
    reason?: string,
    tx?: Knex.Transaction,
  ): Promise<QuotaLimitChange>;
  /**
   * Carves a team's limit out of the organization's, moving what the team used from the
   * shared pool onto it. Throws ConflictError when the organization has no quota in that
   * dimension or not enough left.
   */
  setTeamLimit(
    organization: string,
    team: string,
    dimension: string,
    limit: number,
    by: string,
    reason?: string,
  ): Promise<QuotaLimitChange>;
  /** Gives a team's carve-out back; what the team uses moves to the shared pool. */
  removeTeamLimit(
    organization: string,
    team: string,
    dimension: string,
    by: string,
    reason?: string,
  ): Promise<{ previousLimit: number }>;
  /**
   * Reserves every amount or none (ConflictError naming each shortfall). Idempotent per
   * subject and dimension. Runs inside `tx` (as a savepoint) when given.
   */
  reserve(
    tx: Knex.Transaction | undefined,
    request: QuotaReservationRequest,
  ): Promise<void>;
  /**
   * Reserves for many subjects at once inside `tx`, for the scheduler's batches: every amount
   * of every request, or a ConflictError after which the caller must roll `tx` back. Rows are
   * locked by organization, then dimension, as single reservations lock them.
   */
  reserveAll(
    tx: Knex.Transaction,
    requests: QuotaReservationRequest[],
  ): Promise<void>;
  /** Deletes the subject's reservations and gives their amounts back; a no-op if none. */
  release(tx: Knex.Transaction | undefined, subject: string): Promise<void>;
  /** Limit changes of the organization and its teams, newest first. */
  history(
    organization: string,
    options?: { limit?: number },
  ): Promise<QuotaChange[]>;
}

const ORGANIZATION = '';
/** Rows per multi-row insert; far below SQLite's limit on bound parameters. */
const BATCH_ROWS = 500;
const DEFAULT_HISTORY_LIMIT = 100;
const MAX_HISTORY_LIMIT = 1000;

/** QuotaStore on Backstage's database (PostgreSQL or SQLite). */
export class DatabaseQuotaStore implements QuotaStore {
  constructor(private readonly db: Knex) {}

  async get(organization: string): Promise<OrganizationQuotas> {
    // One statement, so the organization's and the teams' rows are from one snapshot.
    const rows = await this.db<RawQuotaRow>('quotas')
      .where({ organization })
      .orderBy([{ column: 'team' }, { column: 'dimension' }]);
    const teamUse = new Map<string, number>();
    const teams: Record<string, QuotaLine[]> = {};
    for (const row of rows.filter(r => r.team !== ORGANIZATION)) {
      teamUse.set(row.dimension, (teamUse.get(row.dimension) ?? 0) + row.used);
      (teams[row.team] ??= []).push(toLine(row));
    }
    return {
      organization,
      lines: rows
        .filter(r => r.team === ORGANIZATION)
        .map(row => ({
          ...toLine(row),
          used: row.used + (teamUse.get(row.dimension) ?? 0),
        })),
      teams,
    };
  }

  async isLimited(
    tx: Knex.Transaction | undefined,
    organization: string,
    dimension: string,
  ): Promise<boolean> {
    const row = await (tx ?? this.db)('quotas')
      .where(key(organization, ORGANIZATION, dimension))
      .first('dimension');
    return row !== undefined;
  }

  async setOrganizationLimit(
    organization: string,
    dimension: string,
    limit: number,
    by: string,
    reason?: string,
    outerTx?: Knex.Transaction,
  ): Promise<QuotaLimitChange> {
    checkDimension(dimension);
    checkAmount(limit, 'limit');
    return (outerTx ?? this.db).transaction(async tx => {
      let current = (await lockOrganizationRow(tx, organization, dimension))
        ? await quotaRow(tx, organization, ORGANIZATION, dimension)
        : undefined;

      if (!current) {
        if (
          isTypedGpu(dimension) &&
          !(await lockOrganizationRow(tx, organization, 'gpus'))
        ) {
          throw new ConflictError(`Set the organization's gpus quota first`);
        }
        // Only typed GPU reservations exist without a quota; they count from now on.
        const used = await reserved(tx, { organization, dimension });
        if (used > limit) {
          throw new ConflictError(
            `${organization} already uses ${used} ${dimension}; its quota cannot be less than that (asked for ${limit})`,
          );
        }
        const inserted = await tx<RawQuotaRow>('quotas')
          .insert({
            organization,
            team: ORGANIZATION,
            dimension,
            limit_amount: limit,
            used,
            allocated: 0,
          })
          .onConflict(['organization', 'team', 'dimension'])
          .ignore()
          .returning('dimension');
        if (inserted.length > 0) {
          await recordChange(tx, {
            organization,
            dimension,
            previousLimit: undefined,
            newLimit: limit,
            by,
            reason,
          });
          return {
            line: await organizationLine(tx, organization, dimension),
          };
        }
        // Another request created it in the meantime; change it like any existing quota.
        await lockOrganizationRow(tx, organization, dimension);
        current = (await quotaRow(tx, organization, ORGANIZATION, dimension))!;
      }

      const previousLimit = current.limit_amount;
      if (previousLimit !== limit) {
        const changed = await tx('quotas')
          .where(key(organization, ORGANIZATION, dimension))
          .andWhereRaw('?? + ?? <= ?', ['used', 'allocated', limit])
          .update({ limit_amount: limit, updated_at: tx.fn.now() });
        if (changed === 0) {
          throw new ConflictError(
            `Cannot lower the ${dimension} limit of ${organization} to ${limit}: ` +
              `${current.allocated} is carved out for teams and ${current.used} is used ` +
              `from the shared pool (${
                current.allocated + current.used
              } in all)`,
          );
        }
        await recordChange(tx, {
          organization,
          dimension,
          previousLimit,
          newLimit: limit,
          by,
          reason,
        });
      }
      return {
        line: await organizationLine(tx, organization, dimension),
        previousLimit,
      };
    });
  }

  async setTeamLimit(
    organization: string,
    team: string,
    dimension: string,
    limit: number,
    by: string,
    reason?: string,
  ): Promise<QuotaLimitChange> {
    checkDimension(dimension);
    checkAmount(limit, 'limit');
    checkTeam(team);
    return this.db.transaction(async tx => {
      if (!(await lockOrganizationRow(tx, organization, dimension))) {
        throw new ConflictError(
          `Set the organization's ${dimension} quota first`,
        );
      }
      const pool = (await quotaRow(tx, organization, ORGANIZATION, dimension))!;
      const current = await quotaRow(tx, organization, team, dimension);
      const refusal = (asked: string, sharedUse: number) => {
        const left = pool.limit_amount - pool.allocated - sharedUse;
        const shared = sharedUse
          ? `, ${sharedUse} used by teams without their own quota`
          : '';
        return new ConflictError(
          `${organization} has ${left} ${dimension} left to carve out ` +
            `(${pool.limit_amount} limit, ${pool.allocated} carved out${shared}); ` +
            `${team} asked for ${asked}`,
        );
      };

      if (current) {
        const previousLimit = current.limit_amount;
        const delta = limit - previousLimit;
        if (delta === 0) {
          return { line: toLine(current), previousLimit };
        }
        if (current.used > limit) {
          throw new ConflictError(
            `${team} uses ${current.used} ${dimension}; its quota cannot be less than that (asked for ${limit})`,
          );
        }
        const organizationRow = tx('quotas').where(
          key(organization, ORGANIZATION, dimension),
        );
        if (delta > 0) {
          organizationRow.andWhereRaw('?? + ?? <= ?? - ?', [
            'used',
            'allocated',
            'limit_amount',
            delta,
          ]);
        }
        const carved = await organizationRow.update({
          allocated: tx.raw('?? + ?', ['allocated', delta]),
          updated_at: tx.fn.now(),
        });
        if (carved === 0) {
          throw refusal(
            `${delta} more (${previousLimit} to ${limit})`,
            pool.used,
          );
        }
        await tx('quotas')
          .where(key(organization, team, dimension))
          .update({ limit_amount: limit, updated_at: tx.fn.now() });
        await recordChange(tx, {
          organization,
          team,
          dimension,
          previousLimit,
          newLimit: limit,
          by,
          reason,
        });
        return {
          line: toLine((await quotaRow(tx, organization, team, dimension))!),
          previousLimit,
        };
      }

      // Without a carve-out the team's reservations were charged to the shared pool.
      const moved = await reserved(tx, { organization, team, dimension });
      if (moved > limit) {
        throw new ConflictError(
          `${team} already uses ${moved} ${dimension} from the shared pool of ${organization}; ` +
            `its quota cannot be less than that (asked for ${limit})`,
        );
      }
      const carved = await tx('quotas')
        .where(key(organization, ORGANIZATION, dimension))
        .andWhere('used', '>=', moved)
        .andWhereRaw('?? + ?? <= ?? - ? + ?', [
          'used',
          'allocated',
          'limit_amount',
          limit,
          moved,
        ])
        .update({
          allocated: tx.raw('?? + ?', ['allocated', limit]),
          used: tx.raw('?? - ?', ['used', moved]),
          updated_at: tx.fn.now(),
        });
      if (carved === 0) {
        throw refusal(String(limit), pool.used - moved);
      }
      await tx('quotas').insert({
        organization,
        team,
        dimension,
        limit_amount: limit,
        used: moved,
        allocated: 0,
      });
      await recordChange(tx, {
        organization,
        team,
        dimension,
        previousLimit: undefined,
        newLimit: limit,
        by,
        reason,
      });
      return {
        line: { dimension, limit, used: moved, allocated: 0 },
      };
    });
  }

  async removeTeamLimit(
    organization: string,
    team: string,
    dimension: string,
    by: string,
    reason?: string,
  ): Promise<{ previousLimit: number }> {
    checkTeam(team);
    return this.db.transaction(async tx => {
      const current =
        (await lockOrganizationRow(tx, organization, dimension)) &&
        (await quotaRow(tx, organization, team, dimension));
      if (!current) {
        throw new NotFoundError(
          `Team '${team}' of '${organization}' has no ${dimension} quota`,
        );
      }
      await tx('quotas').where(key(organization, team, dimension)).delete();
      // The team's use goes back to the shared pool, which grows by the whole carve-out.
      await tx('quotas')
        .where(key(organization, ORGANIZATION, dimension))
        .update({
          allocated: tx.raw('?? - ?', ['allocated', current.limit_amount]),
          used: tx.raw('?? + ?', ['used', current.used]),
          updated_at: tx.fn.now(),
        });
      await recordChange(tx, {
        organization,
        team,
        dimension,
        previousLimit: current.limit_amount,
        newLimit: undefined,
        by,
        reason,
      });
      return { previousLimit: current.limit_amount };
    });
  }

  async reserve(
    tx: Knex.Transaction | undefined,
    request: QuotaReservationRequest,
  ): Promise<void> {
    const { organization, subject } = request;
    const team = request.team ?? ORGANIZATION;
    if (!subject || subject.length > 255) {
      throw new InputError(
        'A reservation needs a subject of 1 to 255 characters',
      );
    }
    if (!organization || organization.length > 63 || team.length > 63) {
      throw new InputError(
        'A reservation needs an organization and a team name of at most 63 characters',
      );
    }
    const amounts = reservationAmounts(request.amounts);
    if (amounts.length === 0) {
      return;
    }
    await (tx ?? this.db).transaction(async trx => {
      const shortfalls: string[] = [];
      for (const [dimension, amount] of amounts) {
        const shortfall = await reserveOne(trx, {
          organization,
          team,
          subject,
          dimension,
          amount,
        });
        if (shortfall) {
          shortfalls.push(shortfall);
        }
      }
      if (shortfalls.length > 0) {
        throw new ConflictError(shortfalls.join('; '));
      }
    });
  }

  async reserveAll(
    tx: Knex.Transaction,
    requests: QuotaReservationRequest[],
  ): Promise<void> {
    type Item = { team: string; subject: string; amount: number };
    const groups = new Map<
      string,
      { organization: string; dimension: string; items: Item[] }
    >();
    for (const request of requests) {
      const team = request.team ?? ORGANIZATION;
      for (const [dimension, amount] of reservationAmounts(request.amounts)) {
        const id = `${request.organization}\u0000${dimension}`;
        const group = groups.get(id) ?? {
          organization: request.organization,
          dimension,
          items: [],
        };
        group.items.push({ team, subject: request.subject, amount });
        groups.set(id, group);
      }
    }
    const ordered = [...groups.values()].sort(
      (a, b) =>
        (a.organization < b.organization ? -1 : 0) ||
        (a.organization > b.organization ? 1 : 0) ||
        byDimension(a, b),
    );
    for (const { organization, dimension, items } of ordered) {
      const limited = await lockOrganizationRow(tx, organization, dimension);
      if (!limited && !isTypedGpu(dimension)) {
        throw new ConflictError(
          `No ${dimension} quota is set for ${organization}`,
        );
      }
      for (let i = 0; i < items.length; i += BATCH_ROWS) {
        const chunk = items.slice(i, i + BATCH_ROWS);
        const inserted = await tx('quota_reservations')
          .insert(
            chunk.map(item => ({
              organization,
              team: item.team,
              dimension,
              amount: item.amount,
              subject: item.subject,
            })),
          )
          .onConflict(['subject', 'dimension'])
          .ignore()
          .returning('subject');
        if (inserted.length !== chunk.length) {
          throw new ConflictError(
            `Some subjects already hold ${dimension} of ${organization}`,
          );
        }
      }
      if (!limited) {
        continue;
      }
      const teams = [...new Set(items.map(item => item.team))].filter(
        team => team !== ORGANIZATION,
      );
      const carved = new Set<string>(
        teams.length
          ? await tx('quotas')
              .where({ organization, dimension })
              .whereIn('team', teams)
              .pluck('team')
          : [],
      );
      const charges = new Map<string, number>();
      for (const item of items) {
        const target = carved.has(item.team) ? item.team : ORGANIZATION;
        charges.set(target, (charges.get(target) ?? 0) + item.amount);
      }
      for (const [target, amount] of [...charges].sort()) {
        if (!(await charge(tx, organization, target, dimension, amount))) {
          throw new ConflictError(
            `Quota exceeded: ${
              target || organization
            } has less than ${amount} ${dimension} left`,
          );
        }
      }
    }
  }

  async release(tx: Knex.Transaction | undefined, subject: string) {
    await (tx ?? this.db).transaction(async trx => {
      const held = await trx<RawReservationRow>('quota_reservations')
        .where({ subject })
        .select('organization', 'dimension');
      for (const { organization, dimension } of held.sort(byDimension)) {
        const charged = await lockOrganizationRow(trx, organization, dimension);
        // Read again under the lock: a concurrent release may have taken it already.
        const reservation = await trx<RawReservationRow>('quota_reservations')
          .where({ subject, dimension, organization })
          .first();
        if (!reservation) {
          continue;
        }
        await trx('quota_reservations')
          .where({ subject, dimension, organization })
          .delete();
        if (!charged) {
          continue;
        }
        const target = await chargedRow(trx, reservation);
        const given = await trx('quotas')
          .where(key(organization, target, dimension))
          .andWhere('used', '>=', reservation.amount)
          .update({
            used: trx.raw('?? - ?', ['used', reservation.amount]),
            updated_at: trx.fn.now(),
          });
        if (given === 0) {
          throw new Error(
            `Quota accounting of ${dimension} in ${organization} does not match its reservations`,
          );
        }
      }
    });
  }

  async history(
    organization: string,
    options?: { limit?: number },
  ): Promise<QuotaChange[]> {
    const limit = Math.min(
      Math.max(options?.limit ?? DEFAULT_HISTORY_LIMIT, 1),
      MAX_HISTORY_LIMIT,
    );
    const rows = await this.db<RawQuotaChangeRow>('quota_changes')
      .where({ organization })
      .orderBy('id', 'desc')
      .limit(limit);
    return rows.map(row => ({
      id: row.id,
      organization: row.organization,
      ...(row.team ? { team: row.team } : {}),
      dimension: row.dimension,
      ...(row.previous_limit !== null
        ? { previousLimit: row.previous_limit }
        : {}),
      ...(row.new_limit !== null ? { newLimit: row.new_limit } : {}),
      changedBy: row.changed_by,
      ...(row.reason ? { reason: row.reason } : {}),
      createdAt: toIsoTimestamp(row.created_at),
    }));
  }
}

/** Reserves one dimension; returns why it cannot, or undefined when it is reserved. */
async function reserveOne(
  tx: Knex.Transaction,
  r: {
    organization: string;
    team: string;
    subject: string;
    dimension: string;
    amount: number;
  },
): Promise<string | undefined> {
  const { organization, team, subject, dimension, amount } = r;
  const limited = await lockOrganizationRow(tx, organization, dimension);
  if (!limited && !isTypedGpu(dimension)) {
    return `No ${dimension} quota is set for ${organization}`;
  }

  const inserted = await tx<RawReservationRow>('quota_reservations')
    .insert({ organization, team, dimension, amount, subject })
    .onConflict(['subject', 'dimension'])
    .ignore()
    .returning('subject');
  if (inserted.length === 0) {
    const held = (await tx<RawReservationRow>('quota_reservations')
      .where({ subject, dimension })
      .first())!;
    if (
      held.organization === organization &&
      held.team === team &&
      held.amount === amount
    ) {
      return undefined;
    }
    return (
      `${subject} already holds ${held.amount} ${dimension} of ` +
      `${held.team || held.organization}; release it before reserving ${amount}`
    );
  }
  if (!limited) {
    return undefined;
  }

  const target = await chargedRow(tx, { organization, team, dimension });
  if (await charge(tx, organization, target, dimension, amount)) {
    return undefined;
  }
  const row = (await quotaRow(tx, organization, target, dimension))!;
  const size = row.limit_amount - row.allocated;
  const left = size - row.used;
  const where =
    target === ORGANIZATION
      ? `${organization} has ${left} of ${size} ${dimension} left in its shared pool`
      : `${team} has ${left} of ${size} ${dimension} left`;
  return `Quota exceeded: ${where}; this needs ${amount} (${
    amount - left
  } short)`;
}

/** Adds `amount` to a row's use if it stays within the limit; whether it did. */
async function charge(
  tx: Knex.Transaction,
  organization: string,
  team: string,
  dimension: string,
  amount: number,
): Promise<boolean> {
  const charged = await tx('quotas')
    .where(key(organization, team, dimension))
    .andWhereRaw('?? + ?? <= ?? - ?', [
      'used',
      'allocated',
      'limit_amount',
      amount,
    ])
    .update({
      used: tx.raw('?? + ?', ['used', amount]),
      updated_at: tx.fn.now(),
    });
  return charged === 1;
}

/**
 * Locks the organization's row of a dimension until the transaction ends (on PostgreSQL; on
 * SQLite the database has one writer anyway). Returns whether the row exists.
 */
async function lockOrganizationRow(
  tx: Knex.Transaction,
  organization: string,
  dimension: string,
): Promise<boolean> {
  const touched = await tx('quotas')
    .where(key(organization, ORGANIZATION, dimension))
    .update({ used: tx.raw('??', ['used']) });
  return touched > 0;
}

/** The row a team's reservation is charged to: its carve-out, or else the shared pool. */
async function chargedRow(
  tx: Knex.Transaction,
  r: { organization: string; team: string; dimension: string },
): Promise<string> {
  if (r.team === ORGANIZATION) {
    return ORGANIZATION;
  }
  const carveOut = await quotaRow(tx, r.organization, r.team, r.dimension);
  return carveOut ? r.team : ORGANIZATION;
}

async function quotaRow(
  tx: Knex.Transaction,
  organization: string,
  team: string,
  dimension: string,
): Promise<RawQuotaRow | undefined> {
  return tx<RawQuotaRow>('quotas')
    .where(key(organization, team, dimension))
    .first();
}

/** The organization's line of one dimension, with its teams' use included. */
async function organizationLine(
  tx: Knex.Transaction,
  organization: string,
  dimension: string,
): Promise<QuotaLine> {
  const rows = await tx<RawQuotaRow>('quotas').where({
    organization,
    dimension,
  });
  const own = rows.find(r => r.team === ORGANIZATION)!;
  return {
    ...toLine(own),
    used: rows.reduce((sum, r) => sum + r.used, 0),
  };
}

/** The sum of reservations in one dimension, of one team or of the whole organization. */
async function reserved(
  tx: Knex.Transaction,
  where: { organization: string; dimension: string; team?: string },
): Promise<number> {
  const [{ total }] = await tx('quota_reservations')
    .where(where)
    .sum({ total: 'amount' });
  // PostgreSQL sums integers as bigint, which pg returns as a string.
  return Number(total ?? 0);
}

async function recordChange(
  tx: Knex.Transaction,
  change: {
    organization: string;
    team?: string;
    dimension: string;
    previousLimit: number | undefined;
    newLimit: number | undefined;
    by: string;
    reason?: string;
  },
) {
  await tx('quota_changes').insert({
    organization: change.organization,
    team: change.team ?? ORGANIZATION,
    dimension: change.dimension,
    previous_limit: change.previousLimit ?? null,
    new_limit: change.newLimit ?? null,
    changed_by: change.by,
    reason: change.reason || null,
  });
}

/**
 * Validated amounts, sorted by dimension so that concurrent transactions lock rows in the
 * same order; `gpus` includes every `gpus/<type>`.
 */
function reservationAmounts(
  amounts: Record<string, number>,
): Array<[string, number]> {
  const result = new Map<string, number>();
  let gpus = 0;
  for (const [dimension, amount] of Object.entries(amounts)) {
    checkDimension(dimension);
    checkAmount(amount, dimension);
    if (dimension === 'gpus' || isTypedGpu(dimension)) {
      gpus += amount;
    }
    if (amount > 0 && dimension !== 'gpus') {
      result.set(dimension, amount);
    }
  }
  if (gpus > 0) {
    checkAmount(gpus, 'gpus');
    result.set('gpus', gpus);
  }
  return [...result.entries()].sort(([a], [b]) =>
    byDimension({ dimension: a }, { dimension: b }),
  );
}

function byDimension(a: { dimension: string }, b: { dimension: string }) {
  if (a.dimension === b.dimension) {
    return 0;
  }
  return a.dimension < b.dimension ? -1 : 1;
}

function isTypedGpu(dimension: string): boolean {
  return dimension.startsWith('gpus/');
}

function checkDimension(dimension: string) {
  if (!quotaDimensionSchema.safeParse(dimension).success) {
    throw new InputError(`Unknown quota dimension '${dimension}'`);
  }
}

function checkAmount(amount: number, what: string) {
  if (!Number.isInteger(amount) || amount < 0 || amount > MAX_QUOTA_AMOUNT) {
    throw new InputError(
      `${what} must be a whole number from 0 to ${MAX_QUOTA_AMOUNT}, not ${amount}`,
    );
  }
}

function checkTeam(team: string) {
  if (!team) {
    throw new InputError('A team quota needs a team name');
  }
}

function key(organization: string, team: string, dimension: string) {
  return { organization, team, dimension };
}

function toLine(row: RawQuotaRow): QuotaLine {
  return {
    dimension: row.dimension,
    limit: row.limit_amount,
    used: row.used,
    allocated: row.allocated,
  };
}
