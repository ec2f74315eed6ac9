import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  errorFromBackend,
  mockPaasApi,
} from '../../../__testUtils__/paasFixtures';
import { renderOrganizationPage } from '../../../__testUtils__/renderOrganizationPage';

jest.setTimeout(30_000);

describe('QuotasSection', () => {
  const user = userEvent.setup({ delay: null });

  it('shows one bar per dimension in human units, with the carved-out share', async () => {
    const paasApi = mockPaasApi();
    await renderOrganizationPage(paasApi, 'quotas');

    const organizationCard = await screen.findByRole('region', {
      name: 'Quota of Acme Payments',
    });
    const cpu = within(organizationCard).getByTestId('quota-cpu-millicores');
    expect(cpu).toHaveTextContent('CPU');
    expect(cpu).toHaveTextContent('12 cores of 64 cores used (19%)');
    expect(cpu).toHaveTextContent(
      '16 cores carved out for teams, 48 cores not carved out',
    );
    expect(
      within(cpu).getByRole('progressbar', { name: 'CPU usage' }),
    ).toHaveAttribute('aria-valuemax', '64000');

    const memory = within(organizationCard).getByTestId('quota-memory-mib');
    expect(memory).toHaveTextContent('8 GiB of 256 GiB used');
    expect(memory).toHaveTextContent('64 GiB carved out for teams');
    expect(
      within(organizationCard).getByTestId('quota-gpus'),
    ).toHaveTextContent('0 GPUs of 4 GPUs used');
    expect(
      within(organizationCard).getByTestId('quota-count/aws:s3-bucket'),
    ).toHaveTextContent('3 S3 buckets of 20 S3 buckets used');
    expect(
      within(organizationCard).getByTestId('quota-budget-monthly'),
    ).toHaveTextContent(/1,?200 per month of 5,?000 per month used/);

    // the organization's bars come in the order people read them, budget last
    const order = within(organizationCard)
      .getAllByTestId(/^quota-/)
      .map(element => element.dataset.testid);
    expect(order).toEqual([
      'quota-cpu-millicores',
      'quota-memory-mib',
      'quota-gpus',
      'quota-count/aws:s3-bucket',
      'quota-budget-monthly',
    ]);

    const checkoutCard = screen.getByRole('region', {
      name: 'Quota of team checkout',
    });
    expect(
      within(checkoutCard).getByTestId('quota-cpu-millicores'),
    ).toHaveTextContent('2.5 cores of 16 cores used');
    expect(
      within(checkoutCard).queryByText(/carved out for teams/),
    ).not.toBeInTheDocument();
    const ledgerCard = screen.getByRole('region', {
      name: 'Quota of team ledger',
    });
    expect(ledgerCard).toHaveTextContent('No limits carved out');
  });

  it('shows the backend 409 message verbatim when a carve-out does not fit', async () => {
    const message =
      "Cannot set cpu-millicores of team 'ledger' to 60000: only 48000 left in 'acme-payments' (48 cores)";
    const paasApi = mockPaasApi({
      setTeamQuota: jest
        .fn()
        .mockRejectedValue(
          await errorFromBackend(409, 'ConflictError', message),
        ),
    });
    await renderOrganizationPage(paasApi, 'quotas');

    await user.click(
      await screen.findByRole('button', { name: 'Set a limit of team ledger' }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(
      within(dialog).getByRole('combobox', { name: 'Dimension' }),
    ).toHaveValue('cpu-millicores');
    expect(dialog).toHaveTextContent(
      'Acme Payments has 48 cores of 64 cores not carved out for teams.',
    );
    await user.type(
      within(dialog).getByRole('spinbutton', { name: /Limit/ }),
      '60',
    );
    await user.type(
      within(dialog).getByRole('textbox', { name: /Reason/ }),
      'batch jobs',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));

    expect(paasApi.setTeamQuota).toHaveBeenCalledWith(
      'acme-payments',
      'ledger',
      'cpu-millicores',
      { limit: 60000, reason: 'batch jobs' },
    );
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(message);
    expect(screen.getByRole('dialog')).toBeInTheDocument();
  });

  it('edits an organization limit in GiB and reloads the bars', async () => {
    const paasApi = mockPaasApi();
    await renderOrganizationPage(paasApi, 'quotas');

    await user.click(
      await screen.findByRole('button', {
        name: 'Edit the Memory limit of Acme Payments',
      }),
    );
    const dialog = await screen.findByRole('dialog');
    const limit = within(dialog).getByRole('spinbutton', { name: /Limit/ });
    expect(limit).toHaveValue(256);
    expect(dialog).toHaveTextContent('GiB');
    await user.clear(limit);
    await user.type(limit, '384');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));

    expect(paasApi.setOrganizationQuota).toHaveBeenCalledWith(
      'acme-payments',
      'memory-mib',
      { limit: 393216 },
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(paasApi.getQuotas).toHaveBeenCalledTimes(2);
  });

  it('sets a first limit for a typed GPU', async () => {
    const paasApi = mockPaasApi({
      getQuotas: jest.fn().mockResolvedValue({
        organization: 'acme-payments',
        lines: [],
        teams: {},
      }),
    });
    await renderOrganizationPage(paasApi, 'quotas');

    expect(await screen.findByText('No quota yet')).toBeInTheDocument();
    await user.click(
      screen.getByRole('button', { name: 'Set the first limit' }),
    );
    const dialog = await screen.findByRole('dialog');
    await user.selectOptions(
      within(dialog).getByRole('combobox', { name: 'Dimension' }),
      'gpus/',
    );
    await user.type(
      within(dialog).getByRole('textbox', { name: /GPU type/ }),
      'nvidia-a100',
    );
    await user.type(
      within(dialog).getByRole('spinbutton', { name: /Limit/ }),
      '8',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));

    expect(paasApi.setOrganizationQuota).toHaveBeenCalledWith(
      'acme-payments',
      'gpus/nvidia-a100',
      { limit: 8 },
    );
  });

  it('lists who changed which limit, when and why', async () => {
    await renderOrganizationPage(mockPaasApi(), 'quota-history');

    expect(await screen.findByText('Quota changes (2)')).toBeInTheDocument();
    const rows = screen.getAllByRole('row').slice(1);
    const teamChange = rows.find(row =>
      within(row).queryByText('team checkout'),
    )!;
    expect(teamChange).toHaveTextContent('8 cores → 16 cores');
    expect(teamChange).toHaveTextContent('CPU');
    expect(teamChange).toHaveTextContent('none given');
    expect(
      within(teamChange).getByRole('link', { name: /ada/ }),
    ).toHaveAttribute('href', '/catalog/default/user/ada');
    const organizationChange = rows.find(row =>
      within(row).queryByText('organization'),
    )!;
    expect(organizationChange).toHaveTextContent('none → 64 cores');
    expect(organizationChange).toHaveTextContent('onboarding');
  });

  it('points to the quotas when there is no history, and shows load failures', async () => {
    await renderOrganizationPage(
      mockPaasApi({ listQuotaChanges: jest.fn().mockResolvedValue([]) }),
      'quota-history',
    );
    expect(await screen.findByText('No quota changes yet')).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Go to quotas' }),
    ).toHaveAttribute('href', '/paasport/organizations/acme-payments/quotas');
  });

  it('shows the backend message when the quotas cannot be loaded', async () => {
    await renderOrganizationPage(
      mockPaasApi({
        getQuotas: jest
          .fn()
          .mockRejectedValue(
            await errorFromBackend(403, 'NotAllowedError', 'Not yours to see'),
          ),
      }),
      'quotas',
    );
    expect(
      await screen.findByText(/Could not load the quotas/),
    ).toBeInTheDocument();
    expect(screen.getAllByText(/Not yours to see/).length).toBeGreaterThan(0);
  });
});
