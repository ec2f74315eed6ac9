import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  errorFromBackend,
  managedResources,
  mockPaasApi,
} from '../../../__testUtils__/paasFixtures';
import { renderOrganizationPage } from '../../../__testUtils__/renderOrganizationPage';

jest.setTimeout(30_000);

// Nothing in these is provisioning or deleting, so no reload every 10 s adds to the counted calls.
const settled = managedResources.filter(r =>
  ['ready', 'failed'].includes(r.phase),
);

/** The table row of a resource, found by the name of its real resource. */
function rowOf(externalName: string): HTMLElement {
  return screen.getByText(externalName).closest('tr')!;
}

describe('ResourcesSection', () => {
  const user = userEvent.setup({ delay: null });

  it('lists resources with kind, names, team, phase, outputs, cost, component and age', async () => {
    const paasApi = mockPaasApi();
    await renderOrganizationPage(paasApi, 'resources');

    expect(await screen.findByText('Resources (4)')).toBeInTheDocument();
    expect(paasApi.listResources).toHaveBeenCalledWith('acme-payments', {});
    expect(screen.getByRole('tab', { name: 'Resources' })).toHaveAttribute(
      'aria-selected',
      'true',
    );

    const bucket = rowOf('acme-payments-checkout-receipts');
    expect(within(bucket).getByText('S3 bucket')).toBeInTheDocument();
    expect(within(bucket).getByText('receipts')).toBeInTheDocument();
    expect(within(bucket).getByText('checkout')).toBeInTheDocument();
    expect(within(bucket).getByTestId('resource-phase')).toHaveTextContent(
      'ready',
    );
    expect(bucket).toHaveTextContent(
      'ARN: arn:aws:s3:::acme-payments-checkout-receipts',
    );
    expect(
      within(bucket).getByRole('link', { name: /Console/ }),
    ).toHaveAttribute(
      'href',
      'https://eu-west-1.console.aws.amazon.com/s3/buckets/acme-payments-checkout-receipts',
    );
    // region and bucketName are not key outputs
    expect(bucket).not.toHaveTextContent('eu-west-1 ');
    expect(bucket).toHaveTextContent('5 per month');
    expect(
      within(bucket).getByRole('link', { name: /payments-api/ }),
    ).toHaveAttribute('href', '/catalog/default/component/payments-api');
    expect(bucket.querySelector('time')).toHaveAttribute(
      'dateTime',
      '2025-01-05T00:00:00.000Z',
    );
    expect(bucket.querySelector('time')).toHaveTextContent(/days$/);
    expect(within(bucket).queryAllByTestId('unmet-condition')).toEqual([]);

    const namespace = rowOf('acme-payments-ledger-dev');
    expect(within(namespace).getByText('Kubernetes namespace')).toBeVisible();
    expect(namespace).toHaveTextContent('Cluster: eu-gpu-1');
    expect(namespace).toHaveTextContent('0 per month');

    expect(
      within(rowOf('acme-payments-checkout-events')).getByTestId(
        'resource-phase',
      ),
    ).toHaveTextContent('provisioning');
  });

  it('says why a failed resource is not ready', async () => {
    await renderOrganizationPage(mockPaasApi(), 'resources');
    await screen.findByText('Resources (4)');

    const table = rowOf('acme-payments-ledger-entries');
    expect(within(table).getByTestId('resource-phase')).toHaveTextContent(
      'failed',
    );
    const unmet = within(table).getAllByTestId('unmet-condition');
    // the Unknown condition is not a reason it is not ready
    expect(unmet).toHaveLength(1);
    expect(unmet[0]).toHaveTextContent('Ready: Refused');
    expect(unmet[0]).toHaveAttribute(
      'title',
      'AccessDenied: not allowed to call dynamodb:CreateTable',
    );
  });

  it('says which settings of a ready resource were not confirmed, and lists every condition', async () => {
    const bucket = managedResources.find(r => r.id === 'res-receipts')!;
    const unverified = [
      'PublicAccessBlocked',
      'Encrypted',
      'Tagged',
      'SecureTransportOnly',
    ].map(type => ({
      type,
      status: 'Unknown' as const,
      reason: 'NotImplementedByEndpoint',
      message: `The endpoint does not implement the call for ${type}; S3 bucket acme-payments-checkout-receipts may lack this setting`,
    }));
    const paasApi = mockPaasApi({
      listResources: jest.fn().mockResolvedValue([
        {
          ...bucket,
          conditions: [
            { type: 'Ready', status: 'True', reason: 'Provisioned' },
            {
              type: 'Owned',
              status: 'True',
              reason: 'CreatedByPaasport',
              message: 'Paasport created the bucket for this resource',
            },
            ...unverified,
          ],
        },
      ]),
    });
    await renderOrganizationPage(paasApi, 'resources');
    await screen.findByText('Resources (1)');

    const row = rowOf('acme-payments-checkout-receipts');
    expect(within(row).getByTestId('resource-phase')).toHaveTextContent(
      'ready',
    );
    const summary = within(row).getByTestId('resource-settings');
    expect(summary).toHaveTextContent(/^— 4 settings unverified$/);

    await user.hover(summary);
    const tooltip = await screen.findByRole('tooltip');
    for (const condition of unverified) {
      expect(tooltip).toHaveTextContent(
        `${condition.type}: unverified — ${condition.message}`,
      );
    }
    expect(tooltip).not.toHaveTextContent('Owned');
    await user.unhover(summary);

    const toggle = within(row).getByRole('button', {
      name: 'Conditions of checkout/receipts',
    });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    expect(within(row).queryByRole('list')).not.toBeInTheDocument();
    await user.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    expect(
      within(within(row).getByRole('list'))
        .getAllByRole('listitem')
        .map(item => item.textContent),
    ).toEqual([
      'Ready: confirmed — Provisioned',
      'Owned: confirmed — Paasport created the bucket for this resource',
      ...unverified.map(c => `${c.type}: unverified — ${c.message}`),
    ]);
  });

  it('counts settings that are not met apart from the reason it is not ready', async () => {
    const table = managedResources.find(r => r.id === 'res-entries')!;
    await renderOrganizationPage(
      mockPaasApi({ listResources: jest.fn().mockResolvedValue([table]) }),
      'resources',
    );
    await screen.findByText('Resources (1)');

    // Ready: False is what "failed" says; Encrypted is Unknown
    expect(
      within(rowOf('acme-payments-ledger-entries')).getByTestId(
        'resource-settings',
      ),
    ).toHaveTextContent(/^— 1 setting unverified$/);
  });

  it('links "Request a resource" to the software templates', async () => {
    await renderOrganizationPage(mockPaasApi(), 'resources');

    // a LinkButton: a link that looks like a button
    expect(
      await screen.findByRole('button', { name: 'Request a resource' }),
    ).toHaveAttribute('href', '/create');
  });

  it('shows an empty state that leads to the templates', async () => {
    const paasApi = mockPaasApi({
      listResources: jest.fn().mockResolvedValue([]),
    });
    await renderOrganizationPage(paasApi, 'resources');

    expect(
      await screen.findByText('No resources yet — request one from a template'),
    ).toBeInTheDocument();
    const links = await screen.findAllByRole('button', {
      name: 'Request a resource',
    });
    expect(links).toHaveLength(2);
    for (const link of links) {
      expect(link).toHaveAttribute('href', '/create');
    }
  });

  it('shows the backend message when the list cannot be loaded, and tries again', async () => {
    const paasApi = mockPaasApi({
      listResources: jest
        .fn()
        .mockRejectedValueOnce(
          await errorFromBackend(
            403,
            'NotAllowedError',
            "You are not a member of 'acme-payments'",
          ),
        )
        .mockResolvedValue(settled),
    });
    await renderOrganizationPage(paasApi, 'resources');

    expect(
      await screen.findByText(/Could not load the resources/),
    ).toBeInTheDocument();
    expect(
      screen.getAllByText(/You are not a member of 'acme-payments'/).length,
    ).toBeGreaterThan(0);

    await user.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('Resources (3)')).toBeInTheDocument();
  });

  it('filters by team and by kind through the API', async () => {
    const paasApi = mockPaasApi({
      listResources: jest.fn().mockResolvedValue(settled),
    });
    await renderOrganizationPage(paasApi, 'resources');
    await screen.findByText('Resources (3)');
    const team = screen.getByRole('combobox', { name: 'Team' });
    await waitFor(() =>
      expect(within(team).getByRole('option', { name: 'Ledger' })).toBeTruthy(),
    );

    paasApi.listResources.mockResolvedValue([settled[1]]);
    await user.selectOptions(team, 'ledger');
    await waitFor(() =>
      expect(paasApi.listResources).toHaveBeenLastCalledWith('acme-payments', {
        team: 'ledger',
      }),
    );
    expect(await screen.findByText('Resources (1)')).toBeInTheDocument();

    paasApi.listResources.mockResolvedValue([]);
    await user.selectOptions(
      screen.getByRole('combobox', { name: 'Kind' }),
      'S3 bucket',
    );
    await waitFor(() =>
      expect(paasApi.listResources).toHaveBeenLastCalledWith('acme-payments', {
        team: 'ledger',
        kind: 'aws:s3-bucket',
      }),
    );
    expect(await screen.findByText('No resources match')).toBeInTheDocument();
  });

  it('deletes after a confirmation that says the real resource goes too', async () => {
    const paasApi = mockPaasApi({
      listResources: jest.fn().mockResolvedValue(settled),
    });
    await renderOrganizationPage(paasApi, 'resources');
    await screen.findByText('Resources (3)');

    await user.click(
      await screen.findByRole('button', { name: 'Delete checkout/receipts' }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent(
      'Delete the S3 bucket checkout/receipts (ready)?',
    );
    expect(dialog).toHaveTextContent(
      'Paasport deletes S3 bucket acme-payments-checkout-receipts, with its data',
    );
    expect(paasApi.deleteResource).not.toHaveBeenCalled();

    await user.click(within(dialog).getByRole('button', { name: 'Delete' }));
    expect(paasApi.deleteResource).toHaveBeenCalledWith('res-receipts');
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(
      screen.getByText('checkout/receipts is being deleted.'),
    ).toBeInTheDocument();
    await waitFor(() => expect(paasApi.listResources).toHaveBeenCalledTimes(2));
  });

  it('says that an orphaned resource is left in place', async () => {
    await renderOrganizationPage(mockPaasApi(), 'resources');
    await screen.findByText('Resources (4)');

    await user.click(
      await screen.findByRole('button', { name: 'Delete checkout/events' }),
    );
    expect(await screen.findByRole('dialog')).toHaveTextContent(
      'SQS queue acme-payments-checkout-events is left in place',
    );
  });

  it('keeps the dialog open with the backend refusal of a deletion', async () => {
    const message =
      "aws:s3-bucket receipts has the deletion policy 'protect'; change its policy before deleting it";
    const paasApi = mockPaasApi({
      listResources: jest.fn().mockResolvedValue(settled),
      deleteResource: jest
        .fn()
        .mockRejectedValue(
          await errorFromBackend(409, 'ConflictError', message),
        ),
    });
    await renderOrganizationPage(paasApi, 'resources');

    await user.click(
      await screen.findByRole('button', { name: 'Delete checkout/receipts' }),
    );
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: 'Delete' }));

    expect(await within(dialog).findByRole('alert')).toHaveTextContent(message);
    expect(paasApi.listResources).toHaveBeenCalledTimes(1);
  });

  it('disables Delete for a protected resource and says why', async () => {
    await renderOrganizationPage(mockPaasApi(), 'resources');
    await screen.findByText('Resources (4)');

    const button = await screen.findByRole('button', {
      name: 'Delete ledger/dev',
    });
    expect(button).toBeDisabled();
    expect(button.parentElement).toHaveAttribute(
      'title',
      expect.stringContaining(
        'Its deletion policy is protect: Paasport refuses to delete Kubernetes namespace acme-payments-ledger-dev',
      ),
    );
  });

  it('offers Retry only for failed resources, and retries through the API', async () => {
    const paasApi = mockPaasApi({
      listResources: jest.fn().mockResolvedValue(settled),
    });
    await renderOrganizationPage(paasApi, 'resources');
    await screen.findByText('Resources (3)');

    const retry = await screen.findByRole('button', {
      name: 'Retry ledger/entries',
    });
    expect(screen.getAllByRole('button', { name: /^Retry / })).toEqual([retry]);

    await user.click(retry);
    expect(paasApi.retryResource).toHaveBeenCalledWith('res-entries');
    expect(
      await screen.findByText('ledger/entries is provisioning again.'),
    ).toBeInTheDocument();
    await waitFor(() => expect(paasApi.listResources).toHaveBeenCalledTimes(2));
  });

  it('shows why a retry was refused', async () => {
    const paasApi = mockPaasApi({
      listResources: jest.fn().mockResolvedValue(settled),
      retryResource: jest
        .fn()
        .mockRejectedValue(
          await errorFromBackend(
            409,
            'ConflictError',
            'Only a failed resource that was accepted can be retried; entries is provisioning',
          ),
        ),
    });
    await renderOrganizationPage(paasApi, 'resources');

    await user.click(
      await screen.findByRole('button', { name: 'Retry ledger/entries' }),
    );

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not retry ledger/entries: Only a failed resource that was accepted can be retried; entries is provisioning',
    );
  });

  it("shows a resource's history", async () => {
    const paasApi = mockPaasApi();
    await renderOrganizationPage(paasApi, 'resources');

    await user.click(
      await screen.findByRole('button', { name: 'History of ledger/entries' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'History of ledger/entries',
    });
    const items = await within(dialog).findAllByRole('listitem');
    expect(items.map(item => item.textContent)).toEqual([
      expect.stringContaining(
        'requested: Requested aws:dynamodb-table entries',
      ),
      expect.stringContaining(
        'failed: AccessDenied: not allowed to call dynamodb:CreateTable',
      ),
    ]);
    expect(paasApi.listResourceEvents).toHaveBeenCalledWith('res-entries');
  });
});

describe('ResourcesSection polling', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('reloads every 10 s while a resource is provisioning or deleting', async () => {
    jest.useFakeTimers({ advanceTimers: true });
    const paasApi = mockPaasApi();
    const { unmount } = await renderOrganizationPage(paasApi, 'resources');
    await screen.findByText('Resources (4)');
    expect(paasApi.listResources).toHaveBeenCalledTimes(1);

    await act(async () => {
      jest.advanceTimersByTime(10_000);
    });
    await waitFor(() => expect(paasApi.listResources).toHaveBeenCalledTimes(2));

    unmount();
    await act(async () => {
      jest.advanceTimersByTime(30_000);
    });
    expect(paasApi.listResources).toHaveBeenCalledTimes(2);
  });

  it('does not reload when nothing is changing', async () => {
    jest.useFakeTimers({ advanceTimers: true });
    const paasApi = mockPaasApi({
      listResources: jest.fn().mockResolvedValue(settled),
    });
    await renderOrganizationPage(paasApi, 'resources');
    await screen.findByText('Resources (3)');

    await act(async () => {
      jest.advanceTimersByTime(30_000);
    });
    expect(paasApi.listResources).toHaveBeenCalledTimes(1);
  });
});
