import { ResponseError } from '@backstage/errors';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import type { Organization } from '@paasport/plugin-paas-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { PaasApi, paasApiRef } from '../../api';
import {
  approvalsRouteRef,
  clustersRouteRef,
  joinRouteRef,
  rootRouteRef,
} from '../../routes';
import { PaasportPage } from './PaasportPage';

const payments: Organization = {
  name: 'acme-payments',
  title: 'Acme Payments',
  description: 'Everything that moves money',
  groupRef: 'group:default/payments',
  createdBy: 'user:default/guest',
  createdAt: '2025-01-02T03:04:05.000Z',
};

const retail: Organization = {
  name: 'acme-retail',
  title: 'Acme Retail',
  createdBy: 'plugin:scaffolder',
  createdAt: '2025-02-03T04:05:06.000Z',
};

async function errorFromBackend(status: number, name: string, message: string) {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name, message },
        response: { statusCode: status },
      }),
      { status, headers: { 'Content-Type': 'application/json' } },
    ),
  );
}

function mockPaasApi(overrides: Partial<PaasApi> = {}): jest.Mocked<PaasApi> {
  return {
    getHealth: jest.fn().mockResolvedValue({
      status: 'ok',
      database: 'ok',
      providers: ['s3-bucket', 'kubernetes-namespace'],
    }),
    listOrganizations: jest.fn().mockResolvedValue([payments, retail]),
    getOrganization: jest.fn(),
    createOrganization: jest.fn(),
    ...overrides,
  } as jest.Mocked<PaasApi>;
}

async function renderPage(paasApi: PaasApi) {
  return renderInTestApp(
    <TestApiProvider apis={[[paasApiRef, paasApi]]}>
      <PaasportPage />
    </TestApiProvider>,
    {
      mountedRoutes: {
        '/catalog/:namespace/:kind/:name': entityRouteRef,
        '/paasport': rootRouteRef,
        '/paasport/join': joinRouteRef,
        '/paasport/approvals': approvalsRouteRef,
        '/paasport/clusters': clustersRouteRef,
      },
    },
  );
}

// material-table and MUI dialogs are slow to render under jsdom on a busy machine.
jest.setTimeout(20_000);

describe('PaasportPage', () => {
  const user = userEvent.setup({ delay: null });

  it('shows the organizations and the backend health', async () => {
    await renderPage(mockPaasApi());

    expect(
      await screen.findByRole('heading', { name: 'Paasport' }),
    ).toBeInTheDocument();
    expect(await screen.findByText('Acme Payments')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'acme-payments' })).toHaveAttribute(
      'href',
      '/paasport/organizations/acme-payments',
    );
    expect(screen.getByText('Acme Retail')).toBeInTheDocument();
    expect(screen.getByText('Organizations (2)')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'payments' })).toHaveAttribute(
      'href',
      '/catalog/default/group/payments',
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
    expect(screen.getByRole('link', { name: /guest/ })).toHaveAttribute(
      'href',
      '/catalog/default/user/guest',
    );
    expect(screen.getByText('plugin:scaffolder')).toBeInTheDocument();

    expect(await screen.findByText('Reachable')).toBeInTheDocument();
    expect(screen.getByText('Operational')).toBeInTheDocument();
    expect(screen.getByText('s3-bucket')).toBeInTheDocument();
    expect(screen.getByText('kubernetes-namespace')).toBeInTheDocument();
  });

  it('shows a degraded backend', async () => {
    await renderPage(
      mockPaasApi({
        getHealth: jest.fn().mockResolvedValue({
          status: 'degraded',
          database: 'unreachable',
          providers: [],
        }),
      }),
    );

    expect(await screen.findByText('Unreachable')).toBeInTheDocument();
    expect(screen.getByText('Degraded')).toBeInTheDocument();
    expect(screen.getByText(/No provider installed/)).toBeInTheDocument();
  });

  it('invites to create the first organization when there is none', async () => {
    const paasApi = mockPaasApi({
      listOrganizations: jest.fn().mockResolvedValue([]),
    });
    await renderPage(paasApi);

    expect(await screen.findByText('No organizations yet')).toBeInTheDocument();
    // a newcomer with an invite code is pointed to the join page from the empty list too
    expect(
      screen.getAllByRole('button', { name: 'Join an organization' }),
    ).toHaveLength(2);
    await user.click(
      screen.getByRole('button', { name: 'Create the first organization' }),
    );
    expect(await screen.findByRole('dialog')).toBeInTheDocument();
  });

  it('shows why the organizations could not be loaded', async () => {
    await renderPage(
      mockPaasApi({
        listOrganizations: jest
          .fn()
          .mockRejectedValue(
            await errorFromBackend(500, 'Error', 'database is on fire'),
          ),
      }),
    );

    expect(
      await screen.findByText(/Could not load organizations/),
    ).toBeInTheDocument();
    expect(screen.getAllByText(/database is on fire/).length).toBeGreaterThan(
      0,
    );
  });

  it('creates an organization and refreshes the table', async () => {
    const created: Organization = {
      name: 'acme-ledger',
      title: 'Acme Ledger',
      groupRef: 'group:default/ledger',
      createdBy: 'user:default/guest',
      createdAt: '2025-03-04T05:06:07.000Z',
    };
    const paasApi = mockPaasApi({
      listOrganizations: jest
        .fn()
        .mockResolvedValueOnce([payments])
        .mockResolvedValue([payments, created]),
      createOrganization: jest.fn().mockResolvedValue(created),
    });
    await renderPage(paasApi);
    expect(await screen.findByText('Organizations (1)')).toBeInTheDocument();

    await user.click(
      screen.getByRole('button', { name: 'Create organization' }),
    );
    const dialog = await screen.findByRole('dialog');
    await user.type(
      within(dialog).getByRole('textbox', { name: /Name/ }),
      'acme-ledger',
    );
    await user.type(
      within(dialog).getByRole('textbox', { name: /Title/ }),
      'Acme Ledger',
    );
    await user.type(
      within(dialog).getByRole('textbox', { name: /Adopted group/ }),
      'ledger',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Create' }));

    expect(paasApi.createOrganization).toHaveBeenCalledWith({
      name: 'acme-ledger',
      title: 'Acme Ledger',
      groupRef: 'group:default/ledger',
    });
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(await screen.findByText('Organizations (2)')).toBeInTheDocument();
    expect(screen.getByText('Acme Ledger')).toBeInTheDocument();
  });

  it('keeps the dialog open with the backend message on a 409', async () => {
    const paasApi = mockPaasApi({
      createOrganization: jest
        .fn()
        .mockRejectedValue(
          await errorFromBackend(
            409,
            'ConflictError',
            'Organization acme-payments already exists',
          ),
        ),
    });
    await renderPage(paasApi);
    await screen.findByText('Organizations (2)');

    await user.click(
      screen.getByRole('button', { name: 'Create organization' }),
    );
    const dialog = await screen.findByRole('dialog');
    await user.type(
      within(dialog).getByRole('textbox', { name: /Name/ }),
      'acme-payments',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Create' }));

    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'Organization acme-payments already exists',
    );
    expect(screen.getByRole('dialog')).toBeInTheDocument();
    expect(paasApi.createOrganization).toHaveBeenCalledWith({
      name: 'acme-payments',
    });
    expect(paasApi.listOrganizations).toHaveBeenCalledTimes(1);
  });

  it('checks the name while typing and refuses a non-group adoption', async () => {
    const paasApi = mockPaasApi();
    await renderPage(paasApi);
    await screen.findByText('Organizations (2)');

    await user.click(
      screen.getByRole('button', { name: 'Create organization' }),
    );
    const dialog = await screen.findByRole('dialog');
    const name = within(dialog).getByRole('textbox', { name: /Name/ });
    await user.type(name, 'Acme');
    expect(within(dialog).getByText(/Lower-case letters/)).toBeInTheDocument();
    expect(
      within(dialog).getByRole('button', { name: 'Create' }),
    ).toBeDisabled();

    await user.clear(name);
    await user.type(name, 'acme');
    await user.type(
      within(dialog).getByRole('textbox', { name: /Adopted group/ }),
      'user:default/guest',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Create' }));

    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'Only a Group can be adopted',
    );
    expect(paasApi.createOrganization).not.toHaveBeenCalled();
  });
});
