import { LoggerService } from '@backstage/backend-plugin-api';
import { boundedPass } from '../boundedPass';
import {
  ClusterResources,
  deploymentTotals,
} from '@paasport/plugin-paas-common';
import { ClusterStore } from '../database/ClusterStore';
import {
  deploymentQuotaAmounts,
  DeploymentStore,
  PlacedDeployment,
  SchedulableDeployment,
} from '../database/DeploymentStore';
import { QuotaStore } from '../database/QuotaStore';
import { LoopLiveness } from '../service/LoopMonitor';
import { SchedulerPolicy } from './config';
import {
  chargeSlot,
  chooseCluster,
  chooseVictims,
  clusterCanHold,
  ClusterSlot,
  compareQueued,
  rank,
  RankedDeployment,
  weightedShare,
} from './planning';
import { QuotaHeadroom } from './QuotaHeadroom';
import { explainWait } from './waitingReason';

/** What one scheduling cycle did. */
export interface SchedulerCycleReport {
  considered: number;
  admitted: number;
  preempted: number;
  /** Moved off draining clusters back into the queue. */
  drained: number;
  durationMs: number;
}

type Entry = RankedDeployment;
type Planned = {
  d: SchedulableDeployment;
  slot: ClusterSlot;
  need: ClusterResources;
  amounts: Record<string, number>;
};

/** How long a cycle may run before it is abandoned and the next may start. */
export const DEFAULT_CYCLE_BUDGET_MS = 5 * 60_000;
/** Waiting reasons are written for this many deployments at the head of the queue only. */
const MAX_REASONS_PER_CYCLE = 100;
/** Admissions written per transaction while draining the queue. */
const BATCH_SIZE = 200;
/** Preemption attempts per deployment and cycle when another replica changed things meanwhile. */
const MAX_PREEMPTION_ATTEMPTS = 3;

/**
 * Admits queued deployments against quota and places them on clusters.
 *
 * One cycle reads the queue, the clusters and the quotas once and walks the queue in order:
 * the highest priority band first (the priority class reached by base priority plus aging);
 * within a band the organization with the smallest weighted share of the clusters goes next,
 * and within an organization the oldest. A deployment that does not fit is skipped, so it never blocks
 * smaller ones behind it, unless it has waited past `starvationAfter`: then it reserves the
 * clusters it could run on against anything of lower priority.
 *
 * The snapshot only pre-filters. Each admission is its own transaction of guarded updates
 * (see DeploymentStore.admit), so replicas running cycles at the same time never place a
 * deployment twice or over-allocate; a loser sees `gone` or `no-capacity` and moves on.
 */
export class DeploymentScheduler {
  private running?: Promise<void>;
  private again = false;
  private readonly cycle: () => Promise<void>;

  constructor(
    private readonly options: {
      deployments: DeploymentStore;
      clusters: ClusterStore;
      quotas: QuotaStore;
      policy: SchedulerPolicy;
      logger: LoggerService;
      clock?: () => Date;
      /** Called after each cycle, such as to carry admissions to the clusters. */
      afterCycle?: () => void;
      /** @defaultValue DEFAULT_CYCLE_BUDGET_MS */
      cycleBudgetMs?: number;
      /** Told of each cycle, for health. */
      liveness?: LoopLiveness;
    },
  ) {
    // A cycle that runs past its budget (a hung query) is abandoned so the next can start; it
    // may still finish meanwhile, which is safe as replicas run cycles at once anyway.
    this.cycle = boundedPass(() => this.runCycle(), {
      what: 'Paasport scheduling cycle',
      budgetMs: options.cycleBudgetMs ?? DEFAULT_CYCLE_BUDGET_MS,
      liveness: options.liveness,
    });
  }

  /**
   * Runs a cycle soon: now if none is running, else once more after the running one. The
   * promise settles when no cycle is left to run; failures are logged, not thrown.
   */
  trigger(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          try {
            await this.cycle();
          } catch (error) {
            this.options.logger.error(
              `Paasport scheduling cycle failed: ${error}`,
            );
          }
          this.options.afterCycle?.();
        } while (this.again);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  /** Settles when the cycles already running or asked for have run; starts none. */
  idle(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  /** One cycle over the queue. */
  async runCycle(): Promise<SchedulerCycleReport> {
    const { deployments, clusters, quotas, policy } = this.options;
    const started = Date.now();
    const now = (this.options.clock ?? (() => new Date()))();
    const report = { considered: 0, admitted: 0, preempted: 0, drained: 0 };

    let all = await clusters.list();
    const draining = all.filter(
      c =>
        c.state === 'draining' &&
        c.allocated.cpuMillicores + c.allocated.memoryMib + c.allocated.gpus >
          0,
    );
    for (const cluster of draining) {
      report.drained += await deployments.evacuate(cluster.name, now);
    }
    if (draining.length > 0) {
      all = await clusters.list();
    }
    const queued = await deployments.listQueued(policy.maxQueueScan);
    if (queued.length === 0) {
      return { ...report, durationMs: Date.now() - started };
    }
    const slots: ClusterSlot[] = all.map(cluster => ({
      cluster,
      free: { ...cluster.free },
    }));
    const total = sumResources(slots.map(s => s.cluster.capacity));
    const use = await deployments.placedTotalsByOrganization();
    const headrooms = new Map<string, QuotaHeadroom>();
    const headroomOf = async (organization: string, reload = false) => {
      let headroom = headrooms.get(organization);
      if (!headroom || reload) {
        headroom = new QuotaHeadroom(await quotas.get(organization));
        headrooms.set(organization, headroom);
      }
      return headroom;
    };
    const shareOf = (organization: string) =>
      weightedShare(
        use.get(organization) ?? zero(),
        total,
        policy.fairShareWeights[organization] ?? 1,
      );

    const queues = new Map<string, Entry[]>();
    for (const d of queued) {
      const entry = rank(d, now.getTime(), policy);
      const queue = queues.get(d.organization) ?? [];
      queue.push(entry);
      queues.set(d.organization, queue);
    }
    for (const queue of queues.values()) {
      queue.sort(compareQueued);
    }
    const heads = new Map<string, number>(
      [...queues.keys()].map(organization => [organization, 0]),
    );
    /** Clusters held for a starving deployment: name → its effective priority. */
    const reserved = new Map<string, number>();
    const reasons = new Map<string, string>();
    const victimsOf = new Map<string, PlacedDeployment[]>();

    const charge = (p: Planned, sign: 1 | -1) => {
      chargeSlot(p.slot, p.need, sign);
      headrooms.get(p.d.organization)?.charge(p.d.team, p.amounts, sign);
      use.set(
        p.d.organization,
        sumResources([
          use.get(p.d.organization) ?? zero(),
          sign === 1 ? p.need : negate(p.need),
        ]),
      );
    };
    let pending: Planned[] = [];
    let stale = false;
    /** Writes the planned admissions: as one batch, or one by one when the batch loses a race. */
    const flush = async () => {
      const batch = pending;
      pending = [];
      if (batch.length === 0) {
        return;
      }
      if (
        batch.length > 1 &&
        (await deployments.admitAll(
          batch.map(p => ({ deployment: p.d, cluster: p.slot.cluster.name })),
          now,
        ))
      ) {
        report.admitted += batch.length;
        return;
      }
      for (const p of batch) {
        const result = await deployments.admit(p.d, p.slot.cluster.name, now);
        if (result.type === 'admitted') {
          report.admitted += 1;
          continue;
        }
        charge(p, -1);
        if (result.type === 'no-quota') {
          await headroomOf(p.d.organization, true);
          if (reasons.size < MAX_REASONS_PER_CYCLE) {
            reasons.set(p.d.id, `Waiting for quota: ${result.message}`);
          }
        } else if (result.type === 'no-capacity') {
          // Another replica changed the cluster: look again, and try once more next cycle.
          await this.refresh(slots);
          stale = true;
        }
      }
    };

    const placedOf = async (organization: string) => {
      let placed = victimsOf.get(organization);
      if (!placed) {
        placed = await deployments.listPlaced(organization);
        victimsOf.set(organization, placed);
      }
      return placed;
    };
    /** Each active organization's fair fraction of the clusters: its weight over all weights. */
    const fairFractions = () => {
      const active = new Set([
        ...queues.keys(),
        ...[...use]
          .filter(([, u]) => u.cpuMillicores + u.memoryMib + u.gpus > 0)
          .map(([o]) => o),
      ]);
      const weightOf = (o: string) => policy.fairShareWeights[o] ?? 1;
      const sum = [...active].reduce((weights, o) => weights + weightOf(o), 0);
      return new Map([...active].map(o => [o, weightOf(o) / sum]));
    };
    const dominant = (r: ClusterResources) => weightedShare(r, total, 1);

    /**
     * Requeueing borrowed capacity: only while `d`'s organization stays within its fair
     * share after admission, only deployments of no higher priority from organizations above
     * their fair share, and only as long as those stay at or above it. Neither side can then
     * preempt the other back.
     */
    const reclaimPlan = async (
      d: Entry,
      excluded: Set<string>,
      headroom: QuotaHeadroom,
    ) => {
      const fair = fairFractions();
      const own = use.get(d.organization) ?? zero();
      const need = deploymentTotals(d);
      if (
        dominant(sumResources([own, need])) > (fair.get(d.organization) ?? 0)
      ) {
        return undefined;
      }
      const candidates: PlacedDeployment[] = [];
      for (const [organization, fraction] of fair) {
        if (
          organization !== d.organization &&
          dominant(use.get(organization) ?? zero()) > fraction
        ) {
          candidates.push(
            ...(await placedOf(organization)).filter(
              v => v.priority <= d.priority,
            ),
          );
        }
      }
      const amounts = deploymentQuotaAmounts(d);
      return this.planPreemption(d, slots, excluded, candidates, {
        // Victims of other organizations free their own quota, not this one's.
        quotaFits: () => !headroom.shortfall(d.team, amounts),
        mayTake: (victim, victims) => {
          const freed = sumResources(
            [...victims, victim]
              .filter(v => v.organization === victim.organization)
              .map(deploymentTotals),
          );
          const left = sumResources([
            use.get(victim.organization) ?? zero(),
            negate(freed),
          ]);
          return dominant(left) >= (fair.get(victim.organization) ?? 0);
        },
      });
    };

    /** Makes room by preemption as the policy allows; whether it admitted `d`. */
    const preempt = async (
      d: Entry,
      excluded: Set<string>,
      need: ClusterResources,
      amounts: Record<string, number>,
    ): Promise<boolean> => {
      for (let attempt = 0; attempt < MAX_PREEMPTION_ATTEMPTS; attempt++) {
        const headroom = await headroomOf(d.organization, attempt > 0);
        const own = (await placedOf(d.organization)).filter(
          v => v.priority < d.priority,
        );
        let plan = this.planPreemption(d, slots, excluded, own, {
          quotaFits: victims => {
            for (const v of victims) {
              headroom.charge(v.team, deploymentQuotaAmounts(v), -1);
            }
            const fits = !headroom.shortfall(d.team, amounts);
            for (const v of victims) {
              headroom.charge(v.team, deploymentQuotaAmounts(v), 1);
            }
            return fits;
          },
        });
        if (!plan && policy.preemption === 'reclaim-borrowed') {
          plan = await reclaimPlan(d, excluded, headroom);
        }
        if (!plan) {
          return false;
        }
        const result = await deployments.preemptAndAdmit(
          d,
          plan.slot.cluster.name,
          plan.victims,
          now,
        );
        if (result.type === 'admitted') {
          report.admitted += 1;
          report.preempted += plan.victims.length;
          for (const victim of plan.victims) {
            charge(
              {
                d: victim,
                slot: slots.find(s => s.cluster.name === victim.cluster)!,
                need: deploymentTotals(victim),
                amounts: deploymentQuotaAmounts(victim),
              },
              -1,
            );
          }
          charge({ d, slot: plan.slot, need, amounts }, 1);
          victimsOf.clear();
          // The victims are queued again and may fit elsewhere.
          this.again = true;
          return true;
        }
        if (result.type === 'no-quota') {
          return false;
        }
        // Another replica changed the cluster or the victims: look again.
        await this.refresh(slots);
        victimsOf.clear();
      }
      return false;
    };

    for (;;) {
      const d = this.next(queues, heads, shareOf);
      if (!d) {
        break;
      }
      report.considered += 1;
      const wait = (reason: string) => {
        if (reasons.size < MAX_REASONS_PER_CYCLE && d.reason !== reason) {
          reasons.set(d.id, reason);
        }
      };

      const excluded = new Set(
        [...reserved].filter(([, p]) => p > d.effective).map(([name]) => name),
      );
      const eligible = slots.filter(s => clusterCanHold(s.cluster, d));
      if (eligible.length === 0) {
        wait(explainWait({ slots, d, excluded }));
        continue;
      }
      const need = deploymentTotals(d);
      const amounts = deploymentQuotaAmounts(d);

      const headroom = await headroomOf(d.organization);
      const quotaShort = headroom.shortfall(d.team, amounts);
      const slot = quotaShort
        ? undefined
        : chooseCluster(slots, d, policy.strategy, excluded);
      if (slot) {
        // Charged now so the rest of the cycle sees it; refunded if the write fails.
        charge({ d, slot, need, amounts }, 1);
        pending.push({ d, slot, need, amounts });
        if (pending.length >= BATCH_SIZE) {
          await flush();
        }
        continue;
      }

      if (policy.preemption !== 'never') {
        await flush();
        if (await preempt(d, excluded, need, amounts)) {
          continue;
        }
      }
      wait(explainWait({ slots, d, excluded, quotaShort }));
      if (
        !quotaShort &&
        now.getTime() - d.queuedAt >= policy.starvationAfterMs
      ) {
        for (const s of eligible) {
          reserved.set(
            s.cluster.name,
            Math.max(reserved.get(s.cluster.name) ?? 0, d.effective),
          );
        }
      }
    }
    await flush();
    if (stale && report.admitted > 0) {
      this.again = true;
    }

    await deployments.setWaitingReasons(reasons);
    const durationMs = Date.now() - started;
    if (report.admitted > 0 || report.preempted > 0 || report.drained > 0) {
      this.options.logger.info(
        `Paasport scheduler admitted ${report.admitted} of ${report.considered} queued deployments` +
          ` (${report.preempted} preempted, ${report.drained} moved off draining clusters) in ${durationMs} ms`,
      );
    }
    return { ...report, durationMs };
  }

  /** The next deployment to consider: across organizations' queue heads, by priority, then share, then age. */
  private next(
    queues: Map<string, Entry[]>,
    heads: Map<string, number>,
    shareOf: (organization: string) => number,
  ): Entry | undefined {
    let best: Entry | undefined;
    let bestShare = 0;
    for (const [organization, queue] of queues) {
      const head = queue[heads.get(organization)!];
      if (!head) {
        continue;
      }
      const share = shareOf(organization);
      if (
        !best ||
        head.band > best.band ||
        (head.band === best.band &&
          (share < bestShare ||
            (share === bestShare && compareQueued(head, best) < 0)))
      ) {
        best = head;
        bestShare = share;
      }
    }
    if (best) {
      heads.set(best.organization, heads.get(best.organization)! + 1);
    }
    return best;
  }

  /** The ready cluster where the fewest lower-priority deployments of the organization make room. */
  /** The ready cluster where the fewest of `candidates` make room for `d`. */
  private planPreemption(
    d: Entry,
    slots: ClusterSlot[],
    excluded: Set<string>,
    candidates: PlacedDeployment[],
    rules: Parameters<typeof chooseVictims<PlacedDeployment>>[3],
  ): { slot: ClusterSlot; victims: PlacedDeployment[] } | undefined {
    if (candidates.length === 0) {
      return undefined;
    }
    let best: { slot: ClusterSlot; victims: PlacedDeployment[] } | undefined;
    for (const slot of slots) {
      if (
        slot.cluster.state !== 'ready' ||
        excluded.has(slot.cluster.name) ||
        !clusterCanHold(slot.cluster, d)
      ) {
        continue;
      }
      const victims = chooseVictims(slot, d, candidates, rules);
      if (victims && (!best || victims.length < best.victims.length)) {
        best = { slot, victims };
      }
    }
    return best;
  }

  private async refresh(slots: ClusterSlot[]) {
    const current = new Map(
      (await this.options.clusters.list()).map(c => [c.name, c]),
    );
    for (const slot of slots) {
      const cluster = current.get(slot.cluster.name);
      if (cluster) {
        slot.cluster = cluster;
        slot.free = { ...cluster.free };
      } else {
        slot.free = zero();
      }
    }
  }
}

function zero(): ClusterResources {
  return { cpuMillicores: 0, memoryMib: 0, gpus: 0 };
}

function negate(r: ClusterResources): ClusterResources {
  return {
    cpuMillicores: -r.cpuMillicores,
    memoryMib: -r.memoryMib,
    gpus: -r.gpus,
  };
}

function sumResources(list: ClusterResources[]): ClusterResources {
  const sum = zero();
  for (const r of list) {
    sum.cpuMillicores += r.cpuMillicores;
    sum.memoryMib += r.memoryMib;
    sum.gpus += r.gpus;
  }
  return sum;
}
