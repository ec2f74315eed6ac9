import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Approval } from '@paasport/plugin-paas-common';
import {
  approvals,
  errorFromBackend,
  mockPaasApi,
} from '../../__testUtils__/paasFixtures';
import { PaasApi, paasApiRef } from '../../api';
import { approvalsRouteRef, rootRouteRef } from '../../routes';
import { ApprovalsPage } from './ApprovalsPage';

jest.setTimeout(30_000);

const cpu = approvals[0];
const gpu: Approval = {
  ...cpu,
  id: 'apr-gpu',
  organization: 'acme-research',
  subject: { dimension: 'gpus', limit: 8 },
  requestedBy: 'user:default/carol',
  reason: 'training run',
};

function render(paasApi: PaasApi) {
  return renderInTestApp(
    <TestApiProvider apis={[[paasApiRef, paasApi]]}>
      <ApprovalsPage />
    </TestApiProvider>,
    {
      mountedRoutes: {
        '/paasport': rootRouteRef,
        '/paasport/approvals': approvalsRouteRef,
        '/catalog/:namespace/:kind/:name': entityRouteRef,
      },
    },
  );
}

function rowOf(text: string): HTMLElement {
  return screen.getByText(text).closest('tr')!;
}

describe('ApprovalsPage', () => {
  const user = userEvent.setup({ delay: null });

  it('lists what the signed-in user may decide, and approves one in place', async () => {
    const paasApi = mockPaasApi({
      listApprovalInbox: jest.fn().mockResolvedValue([cpu, gpu]),
      decideApproval: jest.fn().mockResolvedValue({
        ...cpu,
        state: 'approved',
        decision: { by: 'user:default/pat', at: '2025-01-06T00:00:00.000Z' },
      }),
    });
    await render(paasApi);

    expect(await screen.findByText('Waiting for you (2)')).toBeInTheDocument();
    expect(paasApi.listApprovalInbox).toHaveBeenCalledWith('pending');
    const row = rowOf('Raise CPU to 96 cores');
    expect(row).toHaveTextContent('Black Friday load test');
    expect(
      within(row).getByRole('link', { name: 'acme-payments' }),
    ).toHaveAttribute(
      'href',
      '/paasport/organizations/acme-payments/approvals',
    );
    expect(rowOf('Raise GPUs (any type) to 8 GPUs')).toHaveTextContent(
      'acme-research',
    );

    await user.click(
      within(row).getByRole('button', {
        name: 'Approve: Raise CPU to 96 cores for acme-payments',
      }),
    );

    expect(paasApi.decideApproval).toHaveBeenCalledWith('apr-cpu', {
      decision: 'approve',
    });
    await waitFor(() =>
      expect(
        within(rowOf('Raise CPU to 96 cores')).getByTestId('approval-state'),
      ).toHaveTextContent('approved'),
    );
    const decidedRow = rowOf('Raise CPU to 96 cores');
    expect(decidedRow).toHaveTextContent('Approved by');
    expect(
      within(decidedRow).queryByRole('button', { name: /Approve/ }),
    ).not.toBeInTheDocument();
    expect(screen.getByText('Waiting for you (1)')).toBeInTheDocument();
  });

  it('denies only with a reason, which is sent to the backend', async () => {
    const paasApi = mockPaasApi({
      decideApproval: jest.fn().mockResolvedValue({
        ...cpu,
        state: 'denied',
        decision: {
          by: 'user:default/pat',
          at: '2025-01-06T00:00:00.000Z',
          reason: 'Scale down staging first',
        },
      }),
    });
    await render(paasApi);

    await user.click(
      await screen.findByRole('button', {
        name: 'Deny: Raise CPU to 96 cores for acme-payments',
      }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('Raise CPU to 96 cores for acme-payments');
    const deny = within(dialog).getByRole('button', { name: 'Deny' });
    expect(deny).toBeDisabled();
    await user.type(
      within(dialog).getByRole('textbox', { name: /Reason/ }),
      '   ',
    );
    expect(deny).toBeDisabled();
    expect(paasApi.decideApproval).not.toHaveBeenCalled();

    await user.type(
      within(dialog).getByRole('textbox', { name: /Reason/ }),
      'Scale down staging first',
    );
    await user.click(deny);

    expect(paasApi.decideApproval).toHaveBeenCalledWith('apr-cpu', {
      decision: 'deny',
      reason: 'Scale down staging first',
    });
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    const row = rowOf('Raise CPU to 96 cores');
    expect(within(row).getByTestId('approval-state')).toHaveTextContent(
      'denied',
    );
    expect(row).toHaveTextContent('Scale down staging first');
  });

  it('shows the backend 409 message in the row and stops offering a decision', async () => {
    const message = 'Approval apr-cpu is already approved';
    const paasApi = mockPaasApi({
      decideApproval: jest
        .fn()
        .mockRejectedValue(
          await errorFromBackend(409, 'ConflictError', message),
        ),
    });
    await render(paasApi);

    await user.click(
      await screen.findByRole('button', {
        name: 'Approve: Raise CPU to 96 cores for acme-payments',
      }),
    );

    const row = rowOf('Raise CPU to 96 cores');
    expect(await within(row).findByRole('alert')).toHaveTextContent(message);
    expect(
      within(row).queryByRole('button', { name: /Approve/ }),
    ).not.toBeInTheDocument();
  });

  it('shows a 403 in the row and keeps the buttons', async () => {
    const message = "You may not decide approvals of 'acme-payments'";
    const paasApi = mockPaasApi({
      decideApproval: jest
        .fn()
        .mockRejectedValue(
          await errorFromBackend(403, 'NotAllowedError', message),
        ),
    });
    await render(paasApi);

    await user.click(
      await screen.findByRole('button', {
        name: 'Deny: Raise CPU to 96 cores for acme-payments',
      }),
    );
    const dialog = await screen.findByRole('dialog');
    await user.type(
      within(dialog).getByRole('textbox', { name: /Reason/ }),
      'no',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Deny' }));

    const row = rowOf('Raise CPU to 96 cores');
    expect(await within(row).findByRole('alert')).toHaveTextContent(message);
    expect(within(row).getByRole('button', { name: /Approve/ })).toBeEnabled();
  });

  it('has empty and error states', async () => {
    const { unmount } = await render(
      mockPaasApi({ listApprovalInbox: jest.fn().mockResolvedValue([]) }),
    );
    expect(await screen.findByText('Nothing to decide')).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Back to Paasport' }),
    ).toHaveAttribute('href', '/paasport');
    unmount();

    await render(
      mockPaasApi({
        listApprovalInbox: jest
          .fn()
          .mockRejectedValue(
            await errorFromBackend(500, 'Error', 'database unavailable'),
          ),
      }),
    );
    expect(
      await screen.findByText(/Could not load your approvals/),
    ).toBeInTheDocument();
    expect(screen.getAllByText(/database unavailable/).length).toBeGreaterThan(
      0,
    );
  });
});
