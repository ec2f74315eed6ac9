import { mockServices } from '@backstage/backend-test-utils';
import { EntityProviderConnection } from '@backstage/plugin-catalog-node';
import { Organization } from '@paasport/plugin-paas-common';
import { PaasService } from '@paasport/plugin-paas-node';
import { PaasOrganizationEntityProvider } from './PaasOrganizationEntityProvider';

const created: Organization = {
  name: 'acme-payments',
  title: 'Acme Payments',
  description: 'Everything that moves money',
  createdBy: 'user:default/ada.lovelace',
  createdAt: '2026-01-01T00:00:00.000Z',
};
const createdWithoutDescription: Organization = {
  name: 'research',
  title: 'research',
  createdBy: 'user:default/ada.lovelace',
  createdAt: '2026-01-02T00:00:00.000Z',
};
const adopted: Organization = {
  name: 'payments',
  title: 'Payments',
  groupRef: 'group:default/payments',
  createdBy: 'user:default/ada.lovelace',
  createdAt: '2026-01-03T00:00:00.000Z',
};

function setup(options: { baseUrl?: string } = {}) {
  const paas = {
    listOrganizations: jest.fn(async () => [
      created,
      adopted,
      createdWithoutDescription,
    ]),
  } as unknown as jest.Mocked<PaasService>;
  const logger = mockServices.logger.mock();
  const taskRunner = { run: jest.fn() };
  const connection: jest.Mocked<EntityProviderConnection> = {
    applyMutation: jest.fn(),
    refresh: jest.fn(),
  };
  const provider = new PaasOrganizationEntityProvider({
    paas,
    logger,
    taskRunner,
    baseUrl:
      'baseUrl' in options ? options.baseUrl : 'http://localhost:7007/api/paas',
  });
  return { paas, logger, taskRunner, connection, provider };
}

describe('PaasOrganizationEntityProvider', () => {
  it('is named paas-organizations and refreshes on its task runner', async () => {
    const { provider, taskRunner, connection } = setup();

    await provider.connect(connection);

    expect(provider.getProviderName()).toBe('paas-organizations');
    expect(taskRunner.run).toHaveBeenCalledWith({
      id: 'paas-organizations:refresh',
      fn: expect.any(Function),
    });
    await taskRunner.run.mock.calls[0][0].fn();
    expect(connection.applyMutation).toHaveBeenCalledTimes(1);
  });

  it('publishes one Group per organization that adopts no group, in a full mutation', async () => {
    const { provider, connection } = setup();
    await provider.connect(connection);

    await provider.refresh();

    expect(connection.applyMutation).toHaveBeenCalledWith({
      type: 'full',
      entities: [
        {
          locationKey: 'paas-organizations',
          entity: {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Group',
            metadata: {
              name: 'acme-payments',
              namespace: 'default',
              title: 'Acme Payments',
              description: 'Everything that moves money',
              annotations: {
                'backstage.io/managed-by-location':
                  'paas:http://localhost:7007/api/paas',
                'backstage.io/managed-by-origin-location':
                  'paas:http://localhost:7007/api/paas',
                'paasport.io/organization': 'acme-payments',
              },
            },
            spec: {
              type: 'organization',
              profile: { displayName: 'Acme Payments' },
              children: [],
            },
          },
        },
        {
          locationKey: 'paas-organizations',
          entity: {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Group',
            metadata: {
              name: 'research',
              namespace: 'default',
              title: 'research',
              annotations: {
                'backstage.io/managed-by-location':
                  'paas:http://localhost:7007/api/paas',
                'backstage.io/managed-by-origin-location':
                  'paas:http://localhost:7007/api/paas',
                'paasport.io/organization': 'research',
              },
            },
            spec: {
              type: 'organization',
              profile: { displayName: 'research' },
              children: [],
            },
          },
        },
      ],
    });
  });

  it('publishes nothing for an organization that adopts an existing group', async () => {
    const { provider, connection, paas } = setup();
    paas.listOrganizations.mockResolvedValue([adopted]);
    await provider.connect(connection);

    await provider.refresh();

    expect(connection.applyMutation).toHaveBeenCalledWith({
      type: 'full',
      entities: [],
    });
  });

  it('removes the groups of deleted organizations with the next full mutation', async () => {
    const { provider, connection, paas } = setup();
    await provider.connect(connection);
    await provider.refresh();

    paas.listOrganizations.mockResolvedValue([createdWithoutDescription]);
    await provider.refresh();

    const last = connection.applyMutation.mock.calls[1][0];
    expect(
      last.type === 'full' && last.entities.map(e => e.entity.metadata.name),
    ).toEqual(['research']);
  });

  it('keeps the published groups when Paasport cannot be read', async () => {
    const { provider, connection, paas, logger } = setup();
    await provider.connect(connection);
    await provider.refresh();
    expect(connection.applyMutation).toHaveBeenCalledTimes(1);

    paas.listOrganizations.mockRejectedValue(new Error('connect ECONNREFUSED'));
    await expect(provider.refresh()).resolves.toBeUndefined();

    expect(connection.applyMutation).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('Could not list Paasport organizations'),
      expect.objectContaining({ message: 'connect ECONNREFUSED' }),
    );
  });

  it('reads Paasport with its own service credentials', async () => {
    const { provider, connection, paas } = setup();
    await provider.connect(connection);

    await provider.refresh();

    expect(paas.listOrganizations).toHaveBeenCalledWith();
  });

  it('names a generic location when the Paasport base URL is unknown', async () => {
    const { provider, connection } = setup({ baseUrl: undefined });
    await provider.connect(connection);

    await provider.refresh();

    const mutation = connection.applyMutation.mock.calls[0][0];
    expect(
      mutation.type === 'full' &&
        mutation.entities[0].entity.metadata.annotations,
    ).toMatchObject({
      'backstage.io/managed-by-location': 'paas:paasport',
      'backstage.io/managed-by-origin-location': 'paas:paasport',
    });
  });

  it('refuses to refresh before the catalog has connected it', async () => {
    const { provider } = setup();

    await expect(provider.refresh()).rejects.toThrow('not connected');
  });
});
