import {
  Deployment,
  DeploymentQueueStatus,
} from '@paasport/plugin-paas-common';
import { DeploymentStore } from '../database/DeploymentStore';
import { SchedulerPolicy } from './config';
import { compareQueued, rank } from './planning';

/** Admissions over this window give the rate. */
const WINDOW_MS = 60 * 60 * 1000;
/** Below this many admissions in the window the rate is too uncertain to estimate from. */
const MIN_ADMISSIONS = 5;

/**
 * Adds queue position and estimated wait to queued deployments. The position is the order the
 * scheduler walks the queue in (priority band, then age); fair sharing can still interleave
 * organizations within a band.
 *
 * The wait is a range. `n` admissions in the last hour give a rate of `n` an hour, give or
 * take `√n` (admissions arrive roughly like a Poisson process); the deployment at position `p`
 * waits for `p` admissions, so `p` hours / (n + √n) at the soonest and `p` hours / (n − √n) at
 * the latest, rounded outwards to whole minutes. With fewer than 5 admissions there is no
 * estimate: one admission more or less would change it several-fold.
 */
export class QueueView {
  constructor(
    private readonly store: DeploymentStore,
    private readonly policy: SchedulerPolicy,
    private readonly clock: () => Date,
  ) {}

  async annotate(deployment: Deployment): Promise<Deployment> {
    const [annotated] = await this.annotateAll([deployment]);
    return annotated;
  }

  async annotateAll(deployments: Deployment[]): Promise<Deployment[]> {
    if (!deployments.some(d => d.state === 'queued')) {
      return deployments;
    }
    const now = this.clock().getTime();
    const ordered = (await this.store.listQueued(this.policy.maxQueueScan))
      .map(d => rank(d, now, this.policy))
      .sort(compareQueued);
    const positions = new Map(ordered.map((d, index) => [d.id, index + 1]));
    const admissions = await this.store.countAdmissions(
      new Date(now - WINDOW_MS),
    );

    return deployments.map(d => {
      const position = positions.get(d.id);
      if (d.state !== 'queued' || position === undefined) {
        return d;
      }
      return {
        ...d,
        queue: {
          position,
          length: ordered.length,
          ...(admissions >= MIN_ADMISSIONS
            ? { estimatedWait: estimateWait(position, admissions) }
            : {}),
          ...(d.reason ? { waitingFor: d.reason } : {}),
        },
      };
    });
  }
}

function estimateWait(
  position: number,
  admissions: number,
): DeploymentQueueStatus['estimatedWait'] {
  const spread = Math.sqrt(admissions);
  const seconds = (rate: number) => (position * WINDOW_MS) / 1000 / rate;
  return {
    minSeconds: Math.floor(seconds(admissions + spread) / 60) * 60,
    maxSeconds: Math.ceil(seconds(admissions - spread) / 60) * 60,
  };
}
