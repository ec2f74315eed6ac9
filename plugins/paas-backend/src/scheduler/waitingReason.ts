import {
  ClusterResources,
  deploymentTotals,
} from '@paasport/plugin-paas-common';
import { SchedulableDeployment } from '../database/DeploymentStore';
import {
  CLUSTER_CHECKS,
  clusterMiss,
  ClusterMiss,
  ClusterSlot,
  DIMENSIONS,
} from './planning';

type Dimension = (typeof DIMENSIONS)[number];

/**
 * Why a deployment the planner could not place waits, from the same checks the planner made
 * (`clusterMiss`). The clusters that got furthest through the checks name the constraint
 * that binds: a deployment for `environment=dev` is told that no cluster carries that label,
 * not that some other cluster lacks free CPU. Quota counts only once a cluster could take it.
 */
export function explainWait(options: {
  slots: ClusterSlot[];
  d: SchedulableDeployment;
  excluded: Set<string>;
  quotaShort?: string;
}): string {
  const { slots, d, excluded, quotaShort } = options;
  const need = deploymentTotals(d);
  const reached = slots.map(slot => {
    const miss = clusterMiss(slot, d, excluded);
    return { slot, stage: miss ? CLUSTER_CHECKS.indexOf(miss) : Infinity };
  });
  const furthest = Math.max(-1, ...reached.map(r => r.stage));
  const closest = reached.filter(r => r.stage === furthest).map(r => r.slot);
  const stuckAt: ClusterMiss | undefined = CLUSTER_CHECKS[furthest];
  const labels = Object.entries(d.placement)
    .map(([key, value]) => `${key}=${value}`)
    .join(', ');
  const labelled = labels ? ` labelled ${labels}` : '';
  const gpuType = d.resources.gpus > 0 ? d.gpuType : undefined;
  const suitable = `${labelled}${gpuType ? ` with ${gpuType} GPUs` : ''}`;

  if (furthest < 0) {
    return 'No cluster is registered';
  }
  switch (stuckAt) {
    case 'labels':
      return `No cluster is labelled ${labels}`;
    case 'gpu-type':
      return `No cluster${labelled} has ${gpuType} GPUs`;
    case 'size': {
      const largest = maxOf(closest.map(s => s.cluster.capacity));
      return `No cluster${suitable} is big enough: it needs ${describe(
        need,
        short(need, largest),
      )} (largest: ${describe(largest, short(need, largest))})`;
    }
    case 'state': {
      const states = [...new Set(closest.map(s => s.cluster.state))].sort();
      return `Clusters${suitable || ' that could hold it'} are ${states.join(
        ' or ',
      )}`;
    }
    default:
  }
  if (quotaShort) {
    return `Waiting for quota: ${quotaShort}`;
  }
  if (stuckAt === 'reserved') {
    return `Clusters${suitable} that could hold it are kept for a deployment that has waited longer`;
  }
  const largestFree = maxOf(closest.map(s => s.free));
  const binding = short(need, largestFree);
  if (binding.length === 0) {
    return `Waiting for a cluster${suitable} with ${describe(
      need,
      DIMENSIONS.filter(k => need[k] > 0),
    )} free at once`;
  }
  return `Waiting for ${describe(
    need,
    binding,
  )} free on a cluster${suitable} (largest free: ${describe(
    largestFree,
    binding,
  )})`;
}

/** The dimensions in which `need` exceeds `room`. */
function short(need: ClusterResources, room: ClusterResources): Dimension[] {
  return DIMENSIONS.filter(k => need[k] > room[k]);
}

/** Per dimension, the most any of `list` has. */
function maxOf(list: ClusterResources[]): ClusterResources {
  const max = { cpuMillicores: 0, memoryMib: 0, gpus: 0 };
  for (const r of list) {
    for (const k of DIMENSIONS) {
      max[k] = Math.max(max[k], r[k]);
    }
  }
  return max;
}

/** Such as `1.5 cores and 2 GiB`. */
function describe(r: ClusterResources, dimensions: Dimension[]): string {
  const parts = dimensions.map(k => {
    const amount = Math.max(r[k], 0);
    if (k === 'cpuMillicores') {
      const cores = round(amount / 1000);
      return `${cores} ${cores === 1 ? 'core' : 'cores'}`;
    }
    if (k === 'memoryMib') {
      return amount >= 1024 || amount === 0
        ? `${round(amount / 1024)} GiB`
        : `${amount} MiB`;
    }
    return `${amount} ${amount === 1 ? 'GPU' : 'GPUs'}`;
  });
  return parts.length > 1
    ? `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`
    : parts[0] ?? '';
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
