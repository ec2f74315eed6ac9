import { GroupEntity } from '@backstage/catalog-model';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { createTestEntityPage } from '@backstage/plugin-catalog-react/testUtils';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import { screen, within } from '@testing-library/react';
import { mockPaasApi } from './__testUtils__/paasFixtures';
import paasPlugin from './alpha';
import { paasApiRef } from './api';
import { paasResourceEstimateFormField } from './components/PaasResourceEstimateField/formField';

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
  it('provides the API, the pages and the group card', () => {
    expect(paasPlugin.id).toBe('paas');
    expect(paasPlugin.getExtension('api:paas')).toBeDefined();
    expect(paasPlugin.getExtension('page:paas')).toBeDefined();
    expect(paasPlugin.getExtension('page:paas/join')).toBeDefined();
    expect(paasPlugin.getExtension('page:paas/approvals')).toBeDefined();
    expect(paasPlugin.getExtension('page:paas/clusters')).toBeDefined();
    expect(
      paasPlugin.getExtension('entity-card:paas/organization'),
    ).toBeDefined();
    expect(
      paasPlugin.getExtension('scaffolder-form-field:paas/resource-estimate'),
    ).toBeDefined();
  });

  it("gives the scaffolder's form fields the PaasResourceEstimate field", async () => {
    const tester = createExtensionTester(
      paasPlugin.getExtension('scaffolder-form-field:paas/resource-estimate'),
    );

    const loadField = tester.get(FormFieldBlueprint.dataRefs.formFieldLoader);
    await expect(loadField()).resolves.toBe(paasResourceEstimateFormField);
  });

  it('mounts the page at /paasport with a title and an icon for the nav', () => {
    const tester = createExtensionTester(paasPlugin.getExtension('page:paas'));

    expect(tester.get(coreExtensionData.routePath)).toBe('/paasport');
    expect(tester.get(coreExtensionData.title)).toBe('Paasport');
    expect(tester.get(coreExtensionData.icon)).toBeTruthy();
    expect(tester.get(coreExtensionData.routeRef)).toBeDefined();
  });

  it('mounts the join page at /paasport/join with its own nav title', () => {
    const tester = createExtensionTester(
      paasPlugin.getExtension('page:paas/join'),
    );

    expect(tester.get(coreExtensionData.routePath)).toBe('/paasport/join');
    expect(tester.get(coreExtensionData.title)).toBe('Join an organization');
    expect(tester.get(coreExtensionData.icon)).toBeTruthy();
    expect(tester.get(coreExtensionData.routeRef)).toBe(paasPlugin.routes.join);
  });

  it('mounts the approvals inbox at /paasport/approvals with its own nav title', () => {
    const tester = createExtensionTester(
      paasPlugin.getExtension('page:paas/approvals'),
    );

    expect(tester.get(coreExtensionData.routePath)).toBe('/paasport/approvals');
    expect(tester.get(coreExtensionData.title)).toBe('Approvals');
    expect(tester.get(coreExtensionData.icon)).toBeTruthy();
    expect(tester.get(coreExtensionData.routeRef)).toBe(
      paasPlugin.routes.approvals,
    );
  });

  it('mounts the clusters page at /paasport/clusters with its own nav title', () => {
    const tester = createExtensionTester(
      paasPlugin.getExtension('page:paas/clusters'),
    );

    expect(tester.get(coreExtensionData.routePath)).toBe('/paasport/clusters');
    expect(tester.get(coreExtensionData.title)).toBe('Clusters');
    expect(tester.get(coreExtensionData.icon)).toBeTruthy();
    expect(tester.get(coreExtensionData.routeRef)).toBe(
      paasPlugin.routes.clusters,
    );
  });

  it('renders the clusters page in an app, not the organizations list', async () => {
    const paasApi = mockPaasApi();
    renderTestApp({
      features: [paasPlugin],
      apis: [[paasApiRef, paasApi]],
      initialRouteEntries: ['/paasport/clusters'],
    });

    expect(
      await screen.findByText('EU GPU 1', {}, { timeout: 10_000 }),
    ).toBeInTheDocument();
    expect(paasApi.listClusters).toHaveBeenCalled();
    expect(paasApi.listOrganizations).not.toHaveBeenCalled();
  });

  it('renders the approvals inbox in an app, not the organizations list', async () => {
    const paasApi = mockPaasApi();
    renderTestApp({
      features: [paasPlugin],
      apis: [[paasApiRef, paasApi]],
      initialRouteEntries: ['/paasport/approvals'],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    });

    expect(
      await screen.findByText('Raise CPU to 96 cores', {}, { timeout: 10_000 }),
    ).toBeInTheDocument();
    expect(paasApi.listApprovalInbox).toHaveBeenCalledWith('pending');
    expect(paasApi.listOrganizations).not.toHaveBeenCalled();
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
    expect(
      within(sidebar).getByRole('link', { name: 'Join an organization' }),
    ).toHaveAttribute('href', '/paasport/join');
    expect(
      within(sidebar).getByRole('link', { name: 'Approvals' }),
    ).toHaveAttribute('href', '/paasport/approvals');
    expect(
      within(sidebar).getByRole('link', { name: 'Clusters' }),
    ).toHaveAttribute('href', '/paasport/clusters');
    expect(screen.getByRole('link', { name: 'acme-payments' })).toHaveAttribute(
      'href',
      '/paasport/organizations/acme-payments',
    );
    expect(
      screen.getByRole('button', { name: 'Join an organization' }),
    ).toHaveAttribute('href', '/paasport/join');
    expect(screen.getByRole('button', { name: 'Approvals' })).toHaveAttribute(
      'href',
      '/paasport/approvals',
    );
    expect(screen.getByRole('button', { name: 'Clusters' })).toHaveAttribute(
      'href',
      '/paasport/clusters',
    );
    expect(paasApi.listOrganizations).toHaveBeenCalled();
  });

  it("renders an organization's page below the Paasport page", async () => {
    const paasApi = mockPaasApi();
    renderTestApp({
      features: [paasPlugin],
      apis: [[paasApiRef, paasApi]],
      initialRouteEntries: ['/paasport/organizations/acme-payments/teams'],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    });

    expect(
      await screen.findByRole(
        'heading',
        { name: 'Acme Payments' },
        { timeout: 10_000 },
      ),
    ).toBeInTheDocument();
    expect(await screen.findByText('Teams (2)')).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Teams' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    expect(paasApi.getOrganization).toHaveBeenCalledWith('acme-payments');
  });

  it('renders the join page in an app', async () => {
    renderTestApp({
      features: [paasPlugin],
      apis: [[paasApiRef, mockPaasApi()]],
      initialRouteEntries: ['/paasport/join'],
    });

    expect(
      await screen.findByRole(
        'textbox',
        { name: 'Invite code' },
        { timeout: 10_000 },
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Join' })).toBeDisabled();
    // the organizations list is not rendered on top of it
    expect(screen.queryByText('Organizations')).not.toBeInTheDocument();
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
