import { Deployment } from '@paasport/plugin-paas-common';
import { DeploymentStore } from '../database/DeploymentStore';
import { SchedulerPolicy } from './config';
import { compareQueued, rank } from './planning';

const HOUR_MS = 60 * 60 * 1000;

/**
 * Adds queue position and estimated wait to queued deployments. The position is the order the
 * scheduler walks the queue in (priority band, then age); fair sharing can still interleave
 * organizations within a band. The wait is the position divided by the rate
 * of admissions over the last hour, and absent when there were none.
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
    const admissionsPerSecond =
      (await this.store.countAdmissions(new Date(now - HOUR_MS))) /
      (HOUR_MS / 1000);

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
          ...(admissionsPerSecond > 0
            ? {
                estimatedWaitSeconds: Math.ceil(position / admissionsPerSecond),
              }
            : {}),
          ...(d.reason ? { waitingFor: d.reason } : {}),
        },
      };
    });
  }
}
