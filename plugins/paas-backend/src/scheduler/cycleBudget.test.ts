import { mockServices } from '@backstage/backend-test-utils';
import { ClusterStore } from '../database/ClusterStore';
import { DeploymentStore } from '../database/DeploymentStore';
import { QuotaStore } from '../database/QuotaStore';
import { LoopMonitor } from '../service/LoopMonitor';
import { DEFAULT_SCHEDULER_POLICY } from './config';
import { DeploymentScheduler } from './DeploymentScheduler';
import { settlesWithin } from '../__testUtils__/settlesWithin';

const START = new Date('2026-12-04T10:00:00.000Z').getTime();

describe('DeploymentScheduler cycle budget', () => {
  it('abandons a cycle stuck on a hung database call, lets the next start, and health reports the stall', async () => {
    let now = START;
    let reads = 0;
    const clusters = {
      list: () => {
        reads += 1;
        return new Promise(() => {});
      },
    } as unknown as ClusterStore;
    const logger = mockServices.logger.mock();
    const loops = new LoopMonitor(() => new Date(now));
    const scheduler = new DeploymentScheduler({
      deployments: {} as DeploymentStore,
      clusters,
      quotas: {} as QuotaStore,
      policy: DEFAULT_SCHEDULER_POLICY,
      logger,
      cycleBudgetMs: 50,
      liveness: loops.register('deployment-scheduler', {
        intervalMs: 30_000,
        budgetMs: 50,
      }),
    });

    expect(await settlesWithin(scheduler.trigger(), 2_000)).toBe(true);
    expect(logger.error).toHaveBeenCalledWith(
      expect.stringContaining(
        'Paasport scheduling cycle ran past its budget of 50 ms and was abandoned',
      ),
    );
    expect(await settlesWithin(scheduler.trigger(), 2_000)).toBe(true);
    expect(reads).toBe(2);

    now += 90_001;
    expect(loops.stalled()).toEqual([
      { loop: 'deployment-scheduler', since: new Date(START).toISOString() },
    ]);
  });
});
