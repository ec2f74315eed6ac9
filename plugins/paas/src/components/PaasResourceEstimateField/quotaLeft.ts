import type { OrganizationQuotas } from '@paasport/plugin-paas-common';

/**
 * What a team can still reserve in one dimension, from the line a reservation would be
 * charged to: the team's carve-out when it has one, else the organization's shared pool.
 */
export type QuotaLeft =
  | { source: 'team'; dimension: string; limit: number; left: number }
  | {
      source: 'shared-pool';
      dimension: string;
      /** The part of the organization's limit that is not carved out for teams. */
      limit: number;
      left: number;
    }
  | { source: 'none'; dimension: string };

/** Reads {@link QuotaLeft} of a team in a dimension from `GET /organizations/:org/quotas`. */
export function quotaLeft(
  quotas: OrganizationQuotas,
  team: string,
  dimension: string,
): QuotaLeft {
  const carveOut = quotas.teams[team]?.find(l => l.dimension === dimension);
  if (carveOut) {
    return {
      source: 'team',
      dimension,
      limit: carveOut.limit,
      left: Math.max(carveOut.limit - carveOut.used, 0),
    };
  }
  const organization = quotas.lines.find(l => l.dimension === dimension);
  if (!organization) {
    return { source: 'none', dimension };
  }
  // The organization's `used` includes what teams use of their carve-outs, which `allocated`
  // already holds back; only the rest is drawn from the shared pool.
  const usedByCarveOuts = Object.values(quotas.teams)
    .flatMap(lines => lines.filter(l => l.dimension === dimension))
    .reduce((sum, l) => sum + l.used, 0);
  const pool = organization.limit - organization.allocated;
  const usedFromPool = organization.used - usedByCarveOuts;
  return {
    source: 'shared-pool',
    dimension,
    limit: Math.max(pool, 0),
    left: Math.max(pool - usedFromPool, 0),
  };
}
