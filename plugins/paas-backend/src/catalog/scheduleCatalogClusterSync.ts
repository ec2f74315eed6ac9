import {
  AuditorService,
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
  auditor: AuditorService;
  catalog: CatalogService;
  auth: AuthService;
  clusters: ClusterStore;
  logger: LoggerService;
  onChange?: () => void;
}): Promise<CatalogClusterSync> {
  const { scheduler, config, auditor, ...deps } = options;
  const sync = new CatalogClusterSync(deps);
  await scheduler.scheduleTask({
    id: 'paas-catalog-cluster-sync',
    scope: 'global',
    frequency: readCatalogSyncFrequency(config),
    timeout: { minutes: 5 },
    initialDelay: { seconds: 30 },
    fn: async () => {
      // One audit event per run that changed clusters, as the API's changes each get one.
      const event = await auditor.createEvent({
        eventId: 'cluster-catalog-sync',
        severityLevel: 'medium',
      });
      try {
        const { registered, updated, cordoned, skipped } = await sync.run();
        if (registered.length || updated.length || cordoned.length) {
          await event.success({
            meta: { registered, updated, cordoned, skipped },
          });
        }
      } catch (error) {
        await event.fail({ error: error as Error });
        throw error;
      }
    },
  });
  return sync;
}
