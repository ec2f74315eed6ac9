import { GroupEntity } from '@backstage/catalog-model';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { createTestEntityPage } from '@backstage/plugin-catalog-react/testUtils';
import type { Organization } from '@paasport/plugin-paas-common';
import { screen, within } from '@testing-library/react';
import paasPlugin from './alpha';
import { PaasApi, paasApiRef } from './api';

const organization: Organization = {
  name: 'acme-payments',
  title: 'Acme Payments',
  groupRef: 'group:default/payments',
  createdBy: 'plugin:scaffolder',
  createdAt: '2025-01-02T03:04:05.000Z',
};

function mockPaasApi(): jest.Mocked<PaasApi> {
  return {
    getHealth: jest
      .fn()
      .mockResolvedValue({ status: 'ok', database: 'ok', providers: [] }),
    listOrganizations: jest.fn().mockResolvedValue([organization]),
    getOrganization: jest.fn(),
    createOrganization: jest.fn(),
  };
}

function group(name: string): GroupEntity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: { type: 'team', children: [] },
  };
}

jest.setTimeout(20_000);

describe('paas plugin (new frontend system)', () => {
  it('provides the API, the page and the group card', () => {
    expect(paasPlugin.id).toBe('paas');
    expect(paasPlugin.getExtension('api:paas')).toBeDefined();
    expect(paasPlugin.getExtension('page:paas')).toBeDefined();
    expect(
      paasPlugin.getExtension('entity-card:paas/organization'),
    ).toBeDefined();
  });

  it('mounts the page at /paasport with a title and an icon for the nav', () => {
    const tester = createExtensionTester(paasPlugin.getExtension('page:paas'));

    expect(tester.get(coreExtensionData.routePath)).toBe('/paasport');
    expect(tester.get(coreExtensionData.title)).toBe('Paasport');
    expect(tester.get(coreExtensionData.icon)).toBeTruthy();
    expect(tester.get(coreExtensionData.routeRef)).toBeDefined();
  });

  it('renders the Paasport page in an app', async () => {
    const paasApi = mockPaasApi();
    renderTestApp({
      features: [paasPlugin],
      apis: [[paasApiRef, paasApi]],
      initialRouteEntries: ['/paasport'],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    });

    // the page is loaded lazily; compiling it on first use takes a while
    expect(
      await screen.findByText('Acme Payments', {}, { timeout: 10_000 }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Create organization' }),
    ).toBeInTheDocument();
    const sidebar = screen.getByRole('navigation', { name: 'sidebar nav' });
    expect(
      within(sidebar).getByRole('link', { name: 'Paasport' }),
    ).toHaveAttribute('href', '/paasport');
    expect(paasApi.listOrganizations).toHaveBeenCalled();
  });

  it('shows the organization card on the adopted group page', async () => {
    renderTestApp({
      extensions: [
        createTestEntityPage({ entity: group('payments') }),
        paasPlugin.getExtension('entity-card:paas/organization'),
      ],
      apis: [[paasApiRef, mockPaasApi()]],
    });

    expect(
      await screen.findByText('Acme Payments', {}, { timeout: 10_000 }),
    ).toBeInTheDocument();
    expect(screen.getByText('acme-payments')).toBeInTheDocument();
  });

  it('does not show the card on other kinds of entity', async () => {
    const paasApi = mockPaasApi();
    renderTestApp({
      extensions: [
        createTestEntityPage({
          entity: {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: { name: 'payments-api' },
            spec: { type: 'service', owner: 'group:default/payments' },
          },
        }),
        paasPlugin.getExtension('entity-card:paas/organization'),
      ],
      apis: [[paasApiRef, paasApi]],
    });

    // the test entity page renders this marker when no card matches the entity
    expect(
      await screen.findByTestId('empty-entity-page', {}, { timeout: 10_000 }),
    ).toBeInTheDocument();
    expect(screen.queryByText('Paasport organization')).not.toBeInTheDocument();
    expect(paasApi.listOrganizations).not.toHaveBeenCalled();
  });
});
