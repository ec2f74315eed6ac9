import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  RootConfigService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';

const SCHEDULE_KEY = 'catalog.providers.paas.schedule';

/**
 * Every 30 seconds, so that a group appears soon after its organization is created. The first
 * run waits a little: the catalog connects providers before the backend starts listening.
 */
export const DEFAULT_PAAS_PROVIDER_SCHEDULE: SchedulerServiceTaskScheduleDefinition =
  {
    frequency: { seconds: 30 },
    timeout: { minutes: 3 },
    initialDelay: { seconds: 10 },
  };

/** The schedule of the Paasport entity providers: `catalog.providers.paas.schedule` or the default. */
export function readProviderSchedule(
  config: RootConfigService,
): SchedulerServiceTaskScheduleDefinition {
  const scheduleConfig = config.getOptionalConfig(SCHEDULE_KEY);
  return scheduleConfig
    ? readSchedulerServiceTaskScheduleDefinitionFromConfig(scheduleConfig)
    : DEFAULT_PAAS_PROVIDER_SCHEDULE;
}
