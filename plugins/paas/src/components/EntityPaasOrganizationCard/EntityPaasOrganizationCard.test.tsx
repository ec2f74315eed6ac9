import { GroupEntity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import type { Organization } from '@paasport/plugin-paas-common';
import { screen } from '@testing-library/react';
import { PaasApi, paasApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import { EntityPaasOrganizationCard } from './EntityPaasOrganizationCard';

function group(
  name: string,
  annotations?: Record<string, string>,
): GroupEntity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'team', children: [] },
  };
}

const adopting: Organization = {
  name: 'acme-payments',
  title: 'Acme Payments',
  description: 'Everything that moves money',
  groupRef: 'group:default/payments',
  createdBy: 'user:default/guest',
  createdAt: '2025-01-02T03:04:05.000Z',
};

const published: Organization = {
  name: 'acme-retail',
  title: 'Acme Retail',
  createdBy: 'plugin:scaffolder',
  createdAt: '2025-02-03T04:05:06.000Z',
};

function mockPaasApi(overrides: Partial<PaasApi> = {}): jest.Mocked<PaasApi> {
  return {
    getHealth: jest.fn(),
    listOrganizations: jest.fn().mockResolvedValue([adopting, published]),
    getOrganization: jest.fn(),
    createOrganization: jest.fn(),
    ...overrides,
  } as jest.Mocked<PaasApi>;
}

async function renderCard(entity: GroupEntity, paasApi: PaasApi) {
  return renderInTestApp(
    <TestApiProvider apis={[[paasApiRef, paasApi]]}>
      <EntityProvider entity={entity}>
        <EntityPaasOrganizationCard />
      </EntityProvider>
    </TestApiProvider>,
    {
      mountedRoutes: {
        '/catalog/:namespace/:kind/:name': entityRouteRef,
        '/paasport': rootRouteRef,
      },
    },
  );
}

describe('EntityPaasOrganizationCard', () => {
  it('finds the organization that adopted the group through its groupRef', async () => {
    const paasApi = mockPaasApi();
    await renderCard(group('Payments'), paasApi);

    expect(await screen.findByText('Acme Payments')).toBeInTheDocument();
    expect(screen.getByText('acme-payments')).toBeInTheDocument();
    expect(screen.getByText('Everything that moves money')).toBeInTheDocument();
    expect(screen.getByText(/adopted/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /guest/ })).toHaveAttribute(
      'href',
      '/catalog/default/user/guest',
    );
    expect(screen.getByTitle('2025-01-02T03:04:05.000Z')).toHaveAttribute(
      'datetime',
      '2025-01-02T03:04:05.000Z',
    );
    expect(
      screen.getByRole('link', { name: 'Open in Paasport' }),
    ).toHaveAttribute('href', '/paasport/organizations/acme-payments');
    expect(paasApi.getOrganization).not.toHaveBeenCalled();
  });

  it('finds the organization named by the paasport.io/organization annotation', async () => {
    const paasApi = mockPaasApi({
      getOrganization: jest.fn().mockResolvedValue(published),
    });
    await renderCard(
      group('acme-retail', { 'paasport.io/organization': 'acme-retail' }),
      paasApi,
    );

    expect(await screen.findByText('Acme Retail')).toBeInTheDocument();
    expect(screen.getByText('published by Paasport')).toBeInTheDocument();
    expect(screen.getByText('plugin:scaffolder')).toBeInTheDocument();
    expect(paasApi.getOrganization).toHaveBeenCalledWith('acme-retail');
    expect(paasApi.listOrganizations).not.toHaveBeenCalled();
  });

  it('says so when Paasport does not manage the group', async () => {
    const paasApi = mockPaasApi();
    await renderCard(group('marketing'), paasApi);

    expect(
      await screen.findByText('Not managed by Paasport'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/No Paasport organization manages/),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Go to Paasport' }),
    ).toHaveAttribute('href', '/paasport');
  });

  it('names a stale annotation when the organization is gone', async () => {
    const notFound = await ResponseError.fromResponse(
      new Response(
        JSON.stringify({
          error: { name: 'NotFoundError', message: 'not found' },
          response: { statusCode: 404 },
        }),
        { status: 404, headers: { 'Content-Type': 'application/json' } },
      ),
    );
    const paasApi = mockPaasApi({
      getOrganization: jest.fn().mockRejectedValue(notFound),
    });
    await renderCard(
      group('old-org', { 'paasport.io/organization': 'old-org' }),
      paasApi,
    );

    expect(
      await screen.findByText('Not managed by Paasport'),
    ).toBeInTheDocument();
    expect(screen.getByText('old-org')).toBeInTheDocument();
    expect(paasApi.listOrganizations).toHaveBeenCalled();
  });

  it('shows the error when the backend fails', async () => {
    const paasApi = mockPaasApi({
      listOrganizations: jest
        .fn()
        .mockRejectedValue(new Error('backend unavailable')),
    });
    await renderCard(group('payments'), paasApi);

    expect(
      await screen.findByText(/Could not load the Paasport organization/),
    ).toBeInTheDocument();
    expect(screen.getAllByText(/backend unavailable/).length).toBeGreaterThan(
      0,
    );
  });
});
