import { mockServices } from '@backstage/backend-test-utils';
import {
  DEFAULT_PAAS_PROVIDER_SCHEDULE,
  readProviderSchedule,
} from './readProviderSchedule';

describe('readProviderSchedule', () => {
  it('runs every 30 seconds, with a timeout, when nothing is configured', () => {
    const schedule = readProviderSchedule(mockServices.rootConfig());

    expect(schedule).toBe(DEFAULT_PAAS_PROVIDER_SCHEDULE);
    expect(schedule.frequency).toEqual({ seconds: 30 });
    expect(schedule.timeout).toBeDefined();
  });

  it('reads catalog.providers.paas.schedule', () => {
    const schedule = readProviderSchedule(
      mockServices.rootConfig({
        data: {
          catalog: {
            providers: {
              paas: {
                schedule: {
                  frequency: { minutes: 5 },
                  timeout: 'PT1M',
                  scope: 'local',
                },
              },
            },
          },
        },
      }),
    );

    expect(schedule).toMatchObject({
      frequency: { minutes: 5 },
      scope: 'local',
    });
    expect(schedule.timeout).toBeDefined();
  });

  it('names the key when the configured schedule is invalid', () => {
    expect(() =>
      readProviderSchedule(
        mockServices.rootConfig({
          data: {
            catalog: { providers: { paas: { schedule: { timeout: 'PT1M' } } } },
          },
        }),
      ),
    ).toThrow(/frequency/);
  });
});
