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
  function auditorRecording() {
    const events: Array<{ eventId: string; outcome: string; meta?: unknown }> =
      [];
    const auditor = mockServices.auditor.mock({
      createEvent: async ({ eventId }) => ({
        success: async options =>
          void events.push({
            eventId,
            outcome: 'success',
            meta: options?.meta,
          }),
        fail: async () => void events.push({ eventId, outcome: 'failure' }),
      }),
    });
    return { auditor, events };
  }

  it('schedules one global task that runs the sync', async () => {
    const scheduler = mockServices.scheduler.mock();
    const clusters = {
      list: jest.fn(async () => []),
    } as unknown as ClusterStore;
    const { auditor, events } = auditorRecording();
    await scheduleCatalogClusterSync({
      scheduler,
      config: config({ frequency: { minutes: 10 } }),
      auditor,
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
    // Nothing changed, so nothing to audit.
    expect(events).toEqual([]);
  });

  it('audits a run that changed clusters, and one that failed', async () => {
    const scheduler = mockServices.scheduler.mock();
    const register = jest.fn(async () => ({}));
    const clusters = {
      list: jest
        .fn()
        .mockResolvedValueOnce([])
        .mockRejectedValueOnce(new Error('database is down')),
      register,
    } as unknown as ClusterStore;
    const { auditor, events } = auditorRecording();
    await scheduleCatalogClusterSync({
      scheduler,
      config: config(),
      auditor,
      catalog: catalogServiceMock({
        entities: [
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Resource',
            metadata: {
              name: 'eu-1',
              annotations: {
                'paasport.io/capacity-cpu-millicores': '1000',
                'paasport.io/capacity-memory-mib': '1024',
              },
            },
            spec: { type: 'kubernetes-cluster', owner: 'platform-team' },
          },
        ],
      }),
      auth: mockServices.auth(),
      clusters,
      logger: mockServices.logger.mock(),
    });
    const task = scheduler.scheduleTask.mock.calls[0][0];

    await task.fn(new AbortController().signal);
    await expect(task.fn(new AbortController().signal)).rejects.toThrow(
      'database is down',
    );

    expect(register).toHaveBeenCalledTimes(1);
    expect(events).toEqual([
      {
        eventId: 'cluster-catalog-sync',
        outcome: 'success',
        meta: { registered: ['eu-1'], updated: [], cordoned: [], skipped: [] },
      },
      { eventId: 'cluster-catalog-sync', outcome: 'failure' },
    ]);
  });
});
