import { ConfigReader } from '@backstage/config';
import { DEFAULT_SCHEDULER_POLICY, readSchedulerPolicy } from './config';

const read = (scheduler?: object) =>
  readSchedulerPolicy(
    new ConfigReader(scheduler ? { paas: { scheduler } } : {}),
  );

describe('readSchedulerPolicy', () => {
  it('uses the defaults without configuration', () => {
    expect(read()).toEqual(DEFAULT_SCHEDULER_POLICY);
  });

  it('reads classes, strategy, preemption, aging, starvation and weights', () => {
    expect(
      read({
        priorityClasses: { batch: 50, standard: 100, critical: 200 },
        defaultPriorityClass: 'standard',
        strategy: 'spread',
        preemption: 'reclaim-borrowed',
        aging: { interval: '2m', step: 10, max: 50 },
        starvationAfter: { minutes: 30 },
        fairShare: { weights: { acme: 2 } },
      }),
    ).toEqual({
      ...DEFAULT_SCHEDULER_POLICY,
      priorityClasses: { batch: 50, standard: 100, critical: 200 },
      defaultPriorityClass: 'standard',
      strategy: 'spread',
      preemption: 'reclaim-borrowed',
      aging: { intervalMs: 120_000, step: 10, max: 50 },
      starvationAfterMs: 1_800_000,
      fairShareWeights: { acme: 2 },
    });
  });

  it('takes the first configured class as the default when none is named', () => {
    expect(read({ priorityClasses: { batch: 50, urgent: 300 } })).toMatchObject(
      {
        defaultPriorityClass: 'batch',
      },
    );
  });

  it.each([
    [
      { preemption: 'always' },
      "paas.scheduler.preemption must be one of never, lower-priority, reclaim-borrowed, not 'always'",
    ],
    [
      { strategy: 'random' },
      "paas.scheduler.strategy must be one of bin-pack, spread, not 'random'",
    ],
    [
      { defaultPriorityClass: 'urgent' },
      "paas.scheduler.defaultPriorityClass 'urgent' is not one of the priority classes: low, normal, high",
    ],
    [
      { priorityClasses: { Batch: 1 } },
      "paas.scheduler.priorityClasses: 'Batch' is not a valid class name",
    ],
    [
      { priorityClasses: { batch: -1 } },
      'paas.scheduler.priorityClasses.batch must be a whole number from 0 to 1000000',
    ],
    [
      { fairShare: { weights: { acme: 0 } } },
      'paas.scheduler.fairShare.weights.acme must be above 0 and at most 1000',
    ],
    [
      { aging: { step: 1.5 } },
      'paas.scheduler.aging.step must be a whole number',
    ],
  ])('fails at start-up naming the key for %j', (scheduler, message) => {
    expect(() => read(scheduler)).toThrow(message);
  });
});
