import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  approvals,
  errorFromBackend,
  mockPaasApi,
} from '../../../__testUtils__/paasFixtures';
import { renderOrganizationPage } from '../../../__testUtils__/renderOrganizationPage';

jest.setTimeout(30_000);

function rowOf(text: string): HTMLElement {
  return screen.getByText(text).closest('tr')!;
}

describe('ApprovalsSection', () => {
  const user = userEvent.setup({ delay: null });

  it("lists the organization's approvals with readable subjects, states and decisions", async () => {
    const paasApi = mockPaasApi();
    await renderOrganizationPage(paasApi, 'approvals');

    expect(await screen.findByText('Approvals (3)')).toBeInTheDocument();
    expect(paasApi.listOrganizationApprovals).toHaveBeenCalledWith(
      'acme-payments',
      undefined,
    );
    expect(screen.getByRole('tab', { name: 'Approvals' })).toHaveAttribute(
      'aria-selected',
      'true',
    );

    const cpu = rowOf('Raise CPU to 96 cores');
    expect(within(cpu).getByTestId('approval-state')).toHaveTextContent(
      'pending',
    );
    expect(cpu).toHaveTextContent('Black Friday load test');
    expect(cpu).toHaveTextContent('Undecided; expires');
    expect(within(cpu).getByRole('link', { name: /ada/ })).toHaveAttribute(
      'href',
      '/catalog/default/user/ada',
    );

    const memory = rowOf('Raise memory to 512 GiB');
    expect(within(memory).getByTestId('approval-state')).toHaveTextContent(
      'denied',
    );
    expect(memory).toHaveTextContent('Denied by');
    expect(
      within(memory).getByRole('link', { name: /platform-pat/ }),
    ).toHaveAttribute('href', '/catalog/default/user/platform-pat');
    expect(memory).toHaveTextContent('Use the shared cache cluster instead');

    const s3 = rowOf('Raise S3 buckets to 30');
    expect(within(s3).getByTestId('approval-state')).toHaveTextContent(
      'approved',
    );
    expect(s3).toHaveTextContent('Approved by');
    expect(s3).toHaveTextContent('no reason given');
  });

  it('filters by state through the backend and says when none match', async () => {
    const paasApi = mockPaasApi();
    await renderOrganizationPage(paasApi, 'approvals');
    await screen.findByText('Approvals (3)');

    paasApi.listOrganizationApprovals.mockResolvedValue([]);
    await user.selectOptions(
      screen.getByRole('combobox', { name: 'State' }),
      'expired',
    );

    expect(await screen.findByText('No expired approvals')).toBeInTheDocument();
    expect(paasApi.listOrganizationApprovals).toHaveBeenLastCalledWith(
      'acme-payments',
      'expired',
    );
  });

  it('asks for more quota in human units and sends the base unit', async () => {
    const paasApi = mockPaasApi();
    paasApi.createQuotaRequest.mockResolvedValue(approvals[0]);
    await renderOrganizationPage(paasApi, 'approvals');
    await screen.findByText('Approvals (3)');

    await user.click(
      screen.getAllByRole('button', { name: 'Request more quota' })[0],
    );
    const dialog = await screen.findByRole('dialog');
    const dimension = await within(dialog).findByRole('combobox', {
      name: 'Dimension',
    });
    // only the organization's existing lines, in reading order
    expect(
      within(dimension)
        .getAllByRole('option')
        .map(option => option.textContent),
    ).toEqual([
      'CPU',
      'Memory',
      'GPUs (any type)',
      'S3 buckets',
      'Monthly budget',
    ]);
    await user.selectOptions(dimension, 'memory-mib');
    expect(dialog).toHaveTextContent('Now 256 GiB, of which 8 GiB used');

    const send = within(dialog).getByRole('button', { name: 'Send request' });
    const limit = within(dialog).getByRole('spinbutton', { name: /New limit/ });
    await user.type(limit, '128');
    expect(dialog).toHaveTextContent('More than the current 256 GiB');
    expect(send).toBeDisabled();
    await user.clear(limit);
    await user.type(limit, '384');
    // the reason is required
    expect(send).toBeDisabled();
    await user.type(
      within(dialog).getByRole('textbox', { name: /Reason/ }),
      'Bigger caches for peak season',
    );
    await user.click(send);

    expect(paasApi.createQuotaRequest).toHaveBeenCalledWith('acme-payments', {
      dimension: 'memory-mib',
      limit: 393216,
      reason: 'Bigger caches for peak season',
    });
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(
      screen.getByText(/Asked the platform team: Raise CPU to 96 cores/),
    ).toBeInTheDocument();
    expect(paasApi.listOrganizationApprovals).toHaveBeenCalledTimes(2);
  });

  it('shows the backend refusal of a request in the dialog', async () => {
    const paasApi = mockPaasApi({
      createQuotaRequest: jest
        .fn()
        .mockRejectedValue(
          await errorFromBackend(
            403,
            'NotAllowedError',
            "Only admins of 'acme-payments' may request quota",
          ),
        ),
    });
    await renderOrganizationPage(paasApi, 'quotas');

    await user.click(
      await screen.findByRole('button', { name: 'Request more quota' }),
    );
    const dialog = await screen.findByRole('dialog');
    // the Quotas tab hands over the lines it has, without loading them again
    expect(paasApi.getQuotas).toHaveBeenCalledTimes(1);
    await user.type(
      within(dialog).getByRole('spinbutton', { name: /New limit/ }),
      '96',
    );
    await user.type(
      within(dialog).getByRole('textbox', { name: /Reason/ }),
      'launch',
    );
    await user.click(
      within(dialog).getByRole('button', { name: 'Send request' }),
    );

    expect(paasApi.createQuotaRequest).toHaveBeenCalledWith('acme-payments', {
      dimension: 'cpu-millicores',
      limit: 96000,
      reason: 'launch',
    });
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      "Only admins of 'acme-payments' may request quota",
    );
  });

  it('has empty and error states', async () => {
    const paasApi = mockPaasApi({
      listOrganizationApprovals: jest.fn().mockResolvedValue([]),
    });
    const { unmount } = await renderOrganizationPage(paasApi, 'approvals');
    expect(await screen.findByText('No approvals yet')).toBeInTheDocument();
    unmount();

    await renderOrganizationPage(
      mockPaasApi({
        listOrganizationApprovals: jest
          .fn()
          .mockRejectedValue(
            await errorFromBackend(403, 'NotAllowedError', 'Not a reader'),
          ),
      }),
      'approvals',
    );
    expect(
      await screen.findByText(/Could not load the approvals/),
    ).toBeInTheDocument();
    expect(screen.getAllByText(/Not a reader/).length).toBeGreaterThan(0);
  });
});
