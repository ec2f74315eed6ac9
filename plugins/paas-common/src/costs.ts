import { ClusterResources } from './clusters';
import { ResourceKind } from './schemas/resourceKinds';

/**
 * Monthly prices of capacity, in whole currency units, from `paas.costs.rates`. The cost
 * views and approval thresholds both price with these.
 * @public
 */
export interface CapacityRates {
  /** One CPU core (1000 millicores) for a month. */
  cpuCoreMonth: number;
  /** One GiB of memory for a month. */
  memoryGibMonth: number;
  /** One GPU for a month. */
  gpuMonth: number;
}

/**
 * Rates used when `paas.costs.rates` is not configured: in the range of on-demand cloud
 * prices, to be replaced by an organization's own.
 * @public
 */
export const DEFAULT_CAPACITY_RATES: CapacityRates = {
  cpuCoreMonth: 25,
  memoryGibMonth: 3,
  gpuMonth: 1500,
};

/** What capacity held for a whole month costs, rounded to cents. @public */
export function monthlyCapacityCost(
  totals: ClusterResources,
  rates: CapacityRates,
): number {
  const cost =
    (totals.cpuMillicores / 1000) * rates.cpuCoreMonth +
    (totals.memoryMib / 1024) * rates.memoryGibMonth +
    totals.gpus * rates.gpuMonth;
  return Math.round(cost * 100) / 100;
}

/**
 * Estimated monthly price of one managed resource of each kind, in whole currency units,
 * from `paas.costs.resources`. A flat estimate per kind until usage-based costs exist.
 * @public
 */
export type ResourceRates = Record<ResourceKind, number>;

/** Estimates used for kinds `paas.costs.resources` leaves out. @public */
export const DEFAULT_RESOURCE_RATES: ResourceRates = {
  'aws:s3-bucket': 5,
  // Storage is billed on the shared bucket; this stands for the team's share of it.
  'aws:s3-prefix': 1,
  'aws:dynamodb-table': 10,
  'aws:sqs-queue': 1,
  'aws:lambda-function': 5,
  'aws:rds-instance': 150,
  // What runs in a namespace is priced as deployments.
  'kubernetes:namespace': 0,
};
