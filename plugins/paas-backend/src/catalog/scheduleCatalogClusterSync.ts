import {
  AuthService,
  LoggerService,
  RootConfigService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { Config, readDurationFromConfig } from '@backstage/config';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';
import { ClusterStore } from '../database/ClusterStore';
import { CatalogClusterSync } from './CatalogClusterSync';

const FREQUENCY_KEY = 'paas.catalogSync.frequency';

/** How often clusters are synced from the catalog when the config says nothing. */
export const DEFAULT_CATALOG_SYNC_FREQUENCY: HumanDuration = { minutes: 5 };

/** Reads `paas.catalogSync.frequency`, failing at startup when it is not a positive duration. */
export function readCatalogSyncFrequency(config: Config): HumanDuration {
  if (!config.has(FREQUENCY_KEY)) {
    return DEFAULT_CATALOG_SYNC_FREQUENCY;
  }
  const frequency = readDurationFromConfig(config, { key: FREQUENCY_KEY });
  if (!(durationToMilliseconds(frequency) > 0)) {
    throw new Error(`${FREQUENCY_KEY} must be a positive duration`);
  }
  return frequency;
}

/**
 * Schedules the catalog cluster sync as a global task, so one replica runs it at a time.
 * Returns the sync, for a caller that wants to run it on demand.
 */
export async function scheduleCatalogClusterSync(options: {
  scheduler: SchedulerService;
  config: RootConfigService;
  catalog: CatalogService;
  auth: AuthService;
  clusters: ClusterStore;
  logger: LoggerService;
  onChange?: () => void;
}): Promise<CatalogClusterSync> {
  const { scheduler, config, ...deps } = options;
  const sync = new CatalogClusterSync(deps);
  await scheduler.scheduleTask({
    id: 'paas-catalog-cluster-sync',
    scope: 'global',
    frequency: readCatalogSyncFrequency(config),
    timeout: { minutes: 5 },
    initialDelay: { seconds: 30 },
    fn: async () => {
      await sync.run();
    },
  });
  return sync;
}
