import type { CreatedInviteCode } from '@paasport/plugin-paas-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  errorFromBackend,
  invites,
  mockPaasApi,
} from '../../../__testUtils__/paasFixtures';
import { renderOrganizationPage } from '../../../__testUtils__/renderOrganizationPage';

jest.setTimeout(30_000);

const created: CreatedInviteCode = {
  id: 'inv-new',
  organization: 'acme-payments',
  role: 'developer',
  maxUses: 10,
  uses: 0,
  expiresAt: '2999-01-04T00:00:00.000Z',
  createdBy: 'user:default/ada',
  createdAt: '2999-01-01T00:00:00.000Z',
  code: 'PSP-7H3-S3CR3T',
};

describe('InvitesSection', () => {
  it('lists the codes with role, uses and state', async () => {
    await renderOrganizationPage(mockPaasApi(), 'invites');

    expect(await screen.findByText('Invite codes (4)')).toBeInTheDocument();
    const rows = screen.getAllByRole('row').slice(1);
    const byUses = (uses: string) =>
      rows.find(row => within(row).queryByText(uses))!;
    expect(byUses('3 / 10')).toHaveTextContent('active');
    expect(byUses('3 / 10')).toHaveTextContent('developer');
    expect(byUses('1 / 5')).toHaveTextContent('expired');
    expect(byUses('0 / 1')).toHaveTextContent('revoked');
    expect(byUses('2 / 2')).toHaveTextContent('used up');
    // only the active code can be revoked
    expect(screen.getAllByRole('button', { name: /^Revoke/ })).toHaveLength(1);
  });

  it('shows a new code once, with a copy button, and never in the list', async () => {
    const user = userEvent.setup({ delay: null });
    const paasApi = mockPaasApi({
      createInvite: jest.fn().mockResolvedValue(created),
      listInvites: jest
        .fn()
        .mockResolvedValueOnce(invites)
        // even if a list answer carried the code by mistake, the table must not show it
        .mockResolvedValue([{ ...created }, ...invites]),
    });
    await renderOrganizationPage(paasApi, 'invites');
    await screen.findByText('Invite codes (4)');

    await user.click(screen.getByRole('button', { name: 'Create invite' }));
    let dialog = await screen.findByRole('dialog');
    const days = within(dialog).getByRole('spinbutton', {
      name: /Valid for/,
    });
    await user.clear(days);
    await user.type(days, '3');
    const uses = within(dialog).getByRole('spinbutton', {
      name: /Maximum uses/,
    });
    await user.clear(uses);
    await user.type(uses, '10');
    await user.click(within(dialog).getByRole('button', { name: 'Create' }));

    expect(paasApi.createInvite).toHaveBeenCalledWith('acme-payments', {
      role: 'developer',
      expiresIn: 'P3D',
      maxUses: 10,
    });
    dialog = await screen.findByRole('dialog');
    expect(
      await within(dialog).findByDisplayValue('PSP-7H3-S3CR3T'),
    ).toBeInTheDocument();
    expect(dialog).toHaveTextContent('You will not see it again');

    const writeText = jest.spyOn(navigator.clipboard, 'writeText');
    await user.click(within(dialog).getByRole('button', { name: 'Copy' }));
    expect(writeText).toHaveBeenCalledWith('PSP-7H3-S3CR3T');
    expect(
      within(dialog).getByRole('button', { name: 'Copied' }),
    ).toBeInTheDocument();

    await user.click(within(dialog).getByRole('button', { name: 'Done' }));
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(await screen.findByText('Invite codes (5)')).toBeInTheDocument();
    expect(
      screen.queryByDisplayValue('PSP-7H3-S3CR3T'),
    ).not.toBeInTheDocument();
    expect(screen.queryByText(/PSP-7H3-S3CR3T/)).not.toBeInTheDocument();

    // opening the dialog again starts from an empty form, not from the old code
    await user.click(screen.getByRole('button', { name: 'Create invite' }));
    dialog = await screen.findByRole('dialog');
    expect(
      within(dialog).queryByText(/PSP-7H3-S3CR3T/),
    ).not.toBeInTheDocument();
    expect(
      within(dialog).getByRole('button', { name: 'Create' }),
    ).toBeInTheDocument();
  });

  it('refuses validity outside what the backend accepts', async () => {
    const user = userEvent.setup({ delay: null });
    const paasApi = mockPaasApi();
    await renderOrganizationPage(paasApi, 'invites');
    await screen.findByText('Invite codes (4)');

    await user.click(screen.getByRole('button', { name: 'Create invite' }));
    const dialog = await screen.findByRole('dialog');
    const days = within(dialog).getByRole('spinbutton', {
      name: /Valid for/,
    });
    await user.clear(days);
    await user.type(days, '365');
    expect(
      within(dialog).getByRole('button', { name: 'Create' }),
    ).toBeDisabled();
    expect(paasApi.createInvite).not.toHaveBeenCalled();
  });

  it('revokes an active code', async () => {
    const user = userEvent.setup({ delay: null });
    const paasApi = mockPaasApi();
    await renderOrganizationPage(paasApi, 'invites');

    await user.click(await screen.findByRole('button', { name: /^Revoke/ }));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: 'Revoke' }));

    expect(paasApi.revokeInvite).toHaveBeenCalledWith(
      'acme-payments',
      'inv-active',
    );
    await waitFor(() => expect(paasApi.listInvites).toHaveBeenCalledTimes(2));
  });

  it('shows the backend message when creating is not allowed', async () => {
    const user = userEvent.setup({ delay: null });
    const paasApi = mockPaasApi({
      listInvites: jest.fn().mockResolvedValue([]),
      createInvite: jest
        .fn()
        .mockRejectedValue(
          await errorFromBackend(
            403,
            'NotAllowedError',
            "Only admins of 'acme-payments' may manage its members",
          ),
        ),
    });
    await renderOrganizationPage(paasApi, 'invites');

    expect(await screen.findByText('No invite codes yet')).toBeInTheDocument();
    await user.click(
      screen.getByRole('button', { name: 'Create the first invite code' }),
    );
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: 'Create' }));

    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      "Only admins of 'acme-payments' may manage its members",
    );
  });
});
