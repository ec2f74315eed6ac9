import { OrganizationQuotas } from '@paasport/plugin-paas-common';

type Pool = { limit: number; used: number };

/**
 * What an organization's quotas still admit, as the scheduler's snapshot for one cycle. It
 * mirrors how the quota store charges a team: to the team's carve-out of a dimension if it
 * has one, else to the organization's shared pool. It only pre-filters; the store's guarded
 * updates decide.
 */
export class QuotaHeadroom {
  /** dimension → the shared pool (the organization's limit less all carve-outs). */
  private readonly shared = new Map<string, Pool>();
  /** `team/dimension` → the team's carve-out. */
  private readonly carveOuts = new Map<string, Pool>();

  constructor(quotas: OrganizationQuotas) {
    const carvedUse = new Map<string, number>();
    for (const [team, lines] of Object.entries(quotas.teams)) {
      for (const line of lines) {
        this.carveOuts.set(`${team}/${line.dimension}`, {
          limit: line.limit,
          used: line.used,
        });
        carvedUse.set(
          line.dimension,
          (carvedUse.get(line.dimension) ?? 0) + line.used,
        );
      }
    }
    for (const line of quotas.lines) {
      this.shared.set(line.dimension, {
        limit: line.limit - line.allocated,
        used: line.used - (carvedUse.get(line.dimension) ?? 0),
      });
    }
  }

  /**
   * Why `amounts` do not fit for `team` right now, or undefined when they do. `ever` asks
   * instead whether they could fit if nothing else used the quota.
   */
  shortfall(
    team: string,
    amounts: Record<string, number>,
    options: { ever?: boolean } = {},
  ): string | undefined {
    for (const [dimension, amount] of charged(amounts)) {
      const pool = this.pool(team, dimension);
      if (!pool) {
        if (dimension.startsWith('gpus/')) {
          continue;
        }
        return `no ${dimension} quota is set`;
      }
      const left = options.ever ? pool.limit : pool.limit - pool.used;
      if (amount > left) {
        return `${dimension} quota: ${amount} needed, ${Math.max(left, 0)} ${
          options.ever ? 'in total' : 'left'
        }`;
      }
    }
    return undefined;
  }

  /** Records a reservation (a positive amount) or a release (a negative one). */
  charge(team: string, amounts: Record<string, number>, sign: 1 | -1 = 1) {
    for (const [dimension, amount] of charged(amounts)) {
      const pool = this.pool(team, dimension);
      if (pool) {
        pool.used += sign * amount;
      }
    }
  }

  private pool(team: string, dimension: string): Pool | undefined {
    return (
      this.carveOuts.get(`${team}/${dimension}`) ?? this.shared.get(dimension)
    );
  }
}

/** Positive amounts, with typed GPUs also counted as `gpus` as the store counts them. */
function charged(amounts: Record<string, number>): Array<[string, number]> {
  const result: Array<[string, number]> = [];
  let gpus = 0;
  for (const [dimension, amount] of Object.entries(amounts)) {
    if (dimension === 'gpus' || dimension.startsWith('gpus/')) {
      gpus += amount;
    }
    if (amount > 0 && dimension !== 'gpus') {
      result.push([dimension, amount]);
    }
  }
  if (gpus > 0) {
    result.push(['gpus', gpus]);
  }
  return result;
}
