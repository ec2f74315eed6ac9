import { mockServices } from '@backstage/backend-test-utils';
import { PaasWorkloadRuntime } from '@paasport/plugin-paas-node';
import { WorkloadStore } from '../database/WorkloadStore';
import { LoopMonitor } from '../service/LoopMonitor';
import { WorkloadRollout } from './WorkloadRollout';
import { settlesWithin } from '../__testUtils__/settlesWithin';

const START = new Date('2026-12-04T10:00:00.000Z').getTime();

describe('WorkloadRollout pass budget', () => {
  it('abandons a pass stuck on a hung database call, lets the next start, and health reports the stall', async () => {
    let now = START;
    let reads = 0;
    const store = {
      listOrphaned: () => {
        reads += 1;
        return new Promise(() => {});
      },
    } as unknown as WorkloadStore;
    const logger = mockServices.logger.mock();
    const loops = new LoopMonitor(() => new Date(now));
    const rollout = new WorkloadRollout({
      store,
      runtime: {} as PaasWorkloadRuntime,
      logger,
      passBudgetMs: 50,
      liveness: loops.register('workload-rollout', {
        intervalMs: 15_000,
        budgetMs: 50,
      }),
    });

    expect(await settlesWithin(rollout.trigger(), 2_000)).toBe(true);
    expect(logger.error).toHaveBeenCalledWith(
      'Workload rollout pass failed: Workload rollout pass ran past its budget of 50 ms and was abandoned',
    );
    expect(await settlesWithin(rollout.trigger(), 2_000)).toBe(true);
    expect(reads).toBe(2);

    now += 45_001;
    expect(loops.stalled()).toEqual([
      { loop: 'workload-rollout', since: new Date(START).toISOString() },
    ]);
  });
});
