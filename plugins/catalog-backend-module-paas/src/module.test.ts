import {
  createServiceFactory,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  catalogProcessingExtensionPoint,
  EntityProvider,
} from '@backstage/plugin-catalog-node';
import { PaasService, paasServiceRef } from '@paasport/plugin-paas-node';
import { catalogModulePaas } from './module';

describe('catalogModulePaas', () => {
  async function start(config: object) {
    const providers: EntityProvider[] = [];
    const schedules: SchedulerServiceTaskScheduleDefinition[] = [];
    const runs: (() => Promise<void>)[] = [];
    const paas = {
      listOrganizations: jest.fn(async () => [
        {
          name: 'acme-payments',
          title: 'Acme Payments',
          createdBy: 'user:default/ada.lovelace',
          createdAt: '2026-01-01T00:00:00.000Z',
        },
      ]),
      listTeams: jest.fn(async () => []),
      listMembers: jest.fn(async () => []),
      listResources: jest.fn(async () => [
        {
          id: '6f1c2f4e-0d7a-4c1b-9a51-5d2a8f0c9e11',
          organization: 'acme-payments',
          team: 'checkout',
          kind: 'aws:s3-bucket',
          name: 'assets',
          externalName: 'acme-payments-checkout-assets',
          owner: 'group:default/acme-payments-checkout',
          spec: {},
          phase: 'ready',
          conditions: [],
          outputs: {},
        },
      ]),
    } as unknown as PaasService;

    await startTestBackend({
      extensionPoints: [
        [
          catalogProcessingExtensionPoint,
          {
            addEntityProvider: (...added) => providers.push(...added.flat()),
          },
        ],
      ],
      features: [
        catalogModulePaas,
        createServiceFactory({
          service: paasServiceRef,
          deps: {},
          factory: () => paas,
        }),
        mockServices.rootConfig.factory({ data: config }),
        mockServices.scheduler.mock({
          createScheduledTaskRunner: schedule => {
            schedules.push(schedule);
            return {
              run: async task => {
                runs.push(async () => task.fn(new AbortController().signal));
              },
            };
          },
        }).factory,
      ],
    });
    return { providers, schedules, runs };
  }

  it('adds the organization and resource providers on one default schedule', async () => {
    const { providers, schedules, runs } = await start({});

    expect(providers.map(p => p.getProviderName())).toEqual([
      'paas-organizations',
      'paas-resources',
    ]);
    expect(schedules).toEqual([
      expect.objectContaining({ frequency: { seconds: 30 } }),
    ]);

    const connection = { applyMutation: jest.fn(), refresh: jest.fn() };
    await providers[0].connect(connection);
    await runs[0]();
    expect(connection.applyMutation).toHaveBeenCalledWith({
      type: 'full',
      entities: [
        expect.objectContaining({
          entity: expect.objectContaining({
            kind: 'Group',
            metadata: expect.objectContaining({
              name: 'acme-payments',
              annotations: expect.objectContaining({
                'backstage.io/managed-by-location': expect.stringMatching(
                  /^paas:http.*\/api\/paas$/,
                ),
              }),
            }),
          }),
        }),
      ],
    });
  });

  it('links the resources to the Paasport pages of the app at app.baseUrl', async () => {
    const { providers, runs } = await start({
      app: { baseUrl: 'https://portal.example.com' },
    });

    const connection = { applyMutation: jest.fn(), refresh: jest.fn() };
    await providers[1].connect(connection);
    await runs[0]();
    expect(connection.applyMutation).toHaveBeenCalledWith({
      type: 'full',
      entities: [
        expect.objectContaining({
          entity: expect.objectContaining({
            kind: 'Resource',
            metadata: expect.objectContaining({
              name: 's3-bucket-acme-payments-checkout-assets',
              annotations: expect.objectContaining({
                'backstage.io/view-url':
                  'https://portal.example.com/paasport/organizations/acme-payments',
                'backstage.io/managed-by-location': expect.stringMatching(
                  /^paas:http.*\/api\/paas$/,
                ),
              }),
            }),
          }),
        }),
      ],
    });
  });

  it('takes the schedule from catalog.providers.paas.schedule', async () => {
    const { schedules } = await start({
      catalog: {
        providers: {
          paas: {
            schedule: { frequency: { minutes: 2 }, timeout: { minutes: 1 } },
          },
        },
      },
    });

    expect(schedules).toEqual([
      expect.objectContaining({
        frequency: { minutes: 2 },
        timeout: { minutes: 1 },
      }),
    ]);
  });
});
