import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { ClusterStore } from '../database/ClusterStore';
import {
  readCatalogSyncFrequency,
  scheduleCatalogClusterSync,
} from './scheduleCatalogClusterSync';

function config(catalogSync?: object) {
  return mockServices.rootConfig({
    data: catalogSync ? { paas: { catalogSync } } : {},
  });
}

describe('readCatalogSyncFrequency', () => {
  it('defaults to five minutes', () => {
    expect(readCatalogSyncFrequency(config())).toEqual({ minutes: 5 });
  });

  it('reads a duration object or string', () => {
    expect(
      readCatalogSyncFrequency(config({ frequency: { minutes: 15 } })),
    ).toEqual({ minutes: 15 });
    expect(readCatalogSyncFrequency(config({ frequency: '1h' }))).toEqual({
      hours: 1,
    });
  });

  it('refuses a duration that is not positive', () => {
    expect(() =>
      readCatalogSyncFrequency(config({ frequency: { seconds: 0 } })),
    ).toThrow('paas.catalogSync.frequency must be a positive duration');
  });
});

describe('scheduleCatalogClusterSync', () => {
  it('schedules one global task that runs the sync', async () => {
    const scheduler = mockServices.scheduler.mock();
    const clusters = {
      list: jest.fn(async () => []),
    } as unknown as ClusterStore;
    await scheduleCatalogClusterSync({
      scheduler,
      config: config({ frequency: { minutes: 10 } }),
      catalog: catalogServiceMock(),
      auth: mockServices.auth(),
      clusters,
      logger: mockServices.logger.mock(),
    });

    expect(scheduler.scheduleTask).toHaveBeenCalledTimes(1);
    const task = scheduler.scheduleTask.mock.calls[0][0];
    expect(task).toMatchObject({
      id: 'paas-catalog-cluster-sync',
      scope: 'global',
      frequency: { minutes: 10 },
    });
    await task.fn(new AbortController().signal);
    expect(clusters.list).toHaveBeenCalled();
  });
});
