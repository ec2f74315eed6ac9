import {
  Cluster,
  ClusterResources,
  deploymentTotals,
} from '@paasport/plugin-paas-common';
import { SchedulableDeployment } from '../database/DeploymentStore';
import { SchedulerPolicy } from './config';

/** A cluster as one cycle sees it: its free capacity, charged as the cycle admits. */
export interface ClusterSlot {
  cluster: Cluster;
  free: ClusterResources;
}

export const DIMENSIONS = ['cpuMillicores', 'memoryMib', 'gpus'] as const;

/** Base priority plus what waiting has earned: `step` per `interval`, up to `max`. */
export function effectivePriority(
  d: Pick<SchedulableDeployment, 'priority' | 'queuedAt'>,
  now: number,
  aging: SchedulerPolicy['aging'],
): number {
  const waited = Math.max(now - d.queuedAt, 0);
  const earned = Math.floor(waited / aging.intervalMs) * aging.step;
  return d.priority + Math.min(earned, aging.max);
}

/** A queued deployment with where it ranks. */
export type RankedDeployment = SchedulableDeployment & {
  effective: number;
  /**
   * The highest priority class at or below its effective priority: aging promotes a
   * deployment from class to class, while within a class organizations share fairly and
   * each organization's deployments go first come, first served.
   */
  band: number;
};

export function rank(
  d: SchedulableDeployment,
  now: number,
  policy: Pick<SchedulerPolicy, 'aging' | 'priorityClasses'>,
): RankedDeployment {
  const effective = effectivePriority(d, now, policy.aging);
  let band = Math.min(d.priority, effective);
  for (const value of Object.values(policy.priorityClasses)) {
    if (value <= effective && value > band) {
      band = value;
    }
  }
  return { ...d, effective, band };
}

/** Queue order within an organization: higher band first, then first come, then id. */
export function compareQueued(
  a: RankedDeployment,
  b: RankedDeployment,
): number {
  return b.band - a.band || a.queuedAt - b.queuedAt || a.id.localeCompare(b.id);
}

/**
 * Why a cluster cannot take a deployment now: the first check it fails, in the order the
 * planner applies them. The order runs from what rules a cluster out for good to what may
 * change soon, so across all clusters the one that got furthest names the binding constraint.
 */
export const CLUSTER_CHECKS = [
  'labels',
  'gpu-type',
  'size',
  'state',
  'reserved',
  'free',
] as const;
export type ClusterMiss = (typeof CLUSTER_CHECKS)[number];

export function clusterMiss(
  slot: ClusterSlot,
  d: SchedulableDeployment,
  excluded?: Set<string>,
): ClusterMiss | undefined {
  const { cluster } = slot;
  for (const [key, value] of Object.entries(d.placement)) {
    if (cluster.labels[key] !== value) {
      return 'labels';
    }
  }
  if (d.resources.gpus > 0 && d.gpuType && cluster.gpuType !== d.gpuType) {
    return 'gpu-type';
  }
  const need = deploymentTotals(d);
  if (!fits(cluster.capacity, need)) {
    return 'size';
  }
  if (cluster.state !== 'ready') {
    return 'state';
  }
  if (excluded?.has(cluster.name)) {
    return 'reserved';
  }
  return fits(slot.free, need) ? undefined : 'free';
}

/**
 * Whether the deployment may ever run on the cluster: the labels it asks for, the GPU type,
 * and total capacity (free or not). State is not considered.
 */
export function clusterCanHold(
  cluster: Cluster,
  d: SchedulableDeployment,
): boolean {
  const miss = clusterMiss({ cluster, free: cluster.capacity }, d);
  return miss !== 'labels' && miss !== 'gpu-type' && miss !== 'size';
}

export function fits(room: ClusterResources, need: ClusterResources) {
  return DIMENSIONS.every(k => need[k] <= room[k]);
}

/**
 * The best ready cluster with room, or undefined. Bin-packing picks the one left fullest,
 * spreading the one left emptiest; either way a deployment without GPUs goes to a GPU
 * cluster only when no other has room, so GPUs are not stranded behind used-up CPU.
 */
export function chooseCluster(
  slots: ClusterSlot[],
  d: SchedulableDeployment,
  strategy: SchedulerPolicy['strategy'],
  excluded?: Set<string>,
): ClusterSlot | undefined {
  const need = deploymentTotals(d);
  let best: ClusterSlot | undefined;
  let bestScore = Infinity;
  for (const slot of slots) {
    if (clusterMiss(slot, d, excluded)) {
      continue;
    }
    const left = leftoverShare(slot, need);
    let score = strategy === 'bin-pack' ? left : -left;
    if (need.gpus === 0 && slot.cluster.capacity.gpus > 0) {
      score += 10;
    }
    if (
      score < bestScore ||
      (score === bestScore && best && slot.cluster.name < best.cluster.name)
    ) {
      best = slot;
      bestScore = score;
    }
  }
  return best;
}

/** What would be left free after placing `need`, as the mean share of CPU and memory. */
function leftoverShare(slot: ClusterSlot, need: ClusterResources): number {
  const { capacity } = slot.cluster;
  const cpu =
    (slot.free.cpuMillicores - need.cpuMillicores) / capacity.cpuMillicores;
  const memory = (slot.free.memoryMib - need.memoryMib) / capacity.memoryMib;
  return (cpu + memory) / 2;
}

/** Charges (or with -1, refunds) a slot. */
export function chargeSlot(
  slot: ClusterSlot,
  need: ClusterResources,
  sign: 1 | -1 = 1,
) {
  for (const k of DIMENSIONS) {
    slot.free[k] -= sign * need[k];
  }
}

/**
 * An organization's dominant share of all cluster capacity divided by its weight: what fair
 * sharing orders organizations by when their deployments have the same priority.
 */
export function weightedShare(
  used: ClusterResources,
  total: ClusterResources,
  weight: number,
): number {
  let dominant = 0;
  for (const k of DIMENSIONS) {
    if (total[k] > 0) {
      dominant = Math.max(dominant, used[k] / total[k]);
    }
  }
  return dominant / weight;
}

/**
 * Victims that make room for `d` on `slot`, from `candidates` (the caller decides who may be
 * preempted): lowest priority first, those on `slot` before others (which free only quota),
 * newest first, as few as it takes. `quotaFits` says whether the quota would admit `d` once
 * the given victims are gone; `mayTake`, whether one more victim may join them. Undefined
 * when even all of them would not make room.
 */
export function chooseVictims<
  T extends SchedulableDeployment & { cluster: string },
>(
  slot: ClusterSlot,
  d: SchedulableDeployment,
  candidates: T[],
  rules: {
    quotaFits: (victims: T[]) => boolean;
    mayTake?: (victim: T, victims: T[]) => boolean;
  },
): T[] | undefined {
  const { quotaFits, mayTake = () => true } = rules;
  const need = deploymentTotals(d);
  const room = { ...slot.free };
  const victims: T[] = [];
  const here = (c: T) => (c.cluster === slot.cluster.name ? 0 : 1);
  const ordered = [...candidates].sort(
    (a, b) =>
      a.priority - b.priority || here(a) - here(b) || b.queuedAt - a.queuedAt,
  );
  const enough = () => fits(room, need) && quotaFits(victims);
  for (const victim of ordered) {
    if (enough()) {
      break;
    }
    const onSlot = victim.cluster === slot.cluster.name;
    if ((!onSlot && quotaFits(victims)) || !mayTake(victim, victims)) {
      continue;
    }
    if (onSlot) {
      const freed = deploymentTotals(victim);
      for (const k of DIMENSIONS) {
        room[k] += freed[k];
      }
    }
    victims.push(victim);
  }
  return victims.length > 0 && enough() ? victims : undefined;
}
