import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  checkout,
  errorFromBackend,
  mockPaasApi,
} from '../../../__testUtils__/paasFixtures';
import { renderOrganizationPage } from '../../../__testUtils__/renderOrganizationPage';

jest.setTimeout(30_000);

describe('TeamsSection', () => {
  const user = userEvent.setup({ delay: null });

  it('lists the teams with their catalog group and members', async () => {
    const paasApi = mockPaasApi();
    await renderOrganizationPage(paasApi, 'teams');

    expect(await screen.findByText('Teams (2)')).toBeInTheDocument();
    const checkoutRow = screen.getByText('Pay buttons').closest('tr')!;
    expect(within(checkoutRow).getByText('Checkout')).toBeInTheDocument();
    expect(
      within(checkoutRow).getByText('published by Paasport'),
    ).toBeInTheDocument();
    expect(
      within(checkoutRow).getByRole('link', { name: /ada/ }),
    ).toHaveAttribute('href', '/catalog/default/user/ada');
    const ledgerRow = screen.getByText('Ledger').closest('tr')!;
    expect(within(ledgerRow).getByText('nobody yet')).toBeInTheDocument();
    expect(
      within(ledgerRow).getByRole('link', { name: /ledger/ }),
    ).toHaveAttribute('href', '/catalog/default/group/ledger');
    expect(paasApi.listTeams).toHaveBeenCalledWith('acme-payments');
  });

  it('creates a team and reloads the list', async () => {
    const paasApi = mockPaasApi({
      createTeam: jest.fn().mockResolvedValue({
        ...checkout,
        name: 'risk',
        title: 'Risk',
      }),
    });
    await renderOrganizationPage(paasApi, 'teams');
    await screen.findByText('Teams (2)');

    await user.click(screen.getByRole('button', { name: 'Create team' }));
    const dialog = await screen.findByRole('dialog');
    await user.type(
      within(dialog).getByRole('textbox', { name: /Name/ }),
      'risk',
    );
    await user.type(
      within(dialog).getByRole('textbox', { name: /Title/ }),
      'Risk',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Create' }));

    expect(paasApi.createTeam).toHaveBeenCalledWith('acme-payments', {
      name: 'risk',
      title: 'Risk',
    });
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(paasApi.listTeams).toHaveBeenCalledTimes(2);
  });

  it('adds an organization member to a team', async () => {
    const paasApi = mockPaasApi();
    await renderOrganizationPage(paasApi, 'teams');
    await screen.findByText('Teams (2)');

    await user.click(
      screen.getByRole('button', { name: 'Add a member to ledger' }),
    );
    const dialog = await screen.findByRole('dialog');
    const select = within(dialog).getByRole('combobox', {
      name: 'Member of the organization',
    });
    // both are candidates: neither ada nor bob is in ledger
    expect(within(select).getAllByRole('option')).toHaveLength(2);
    await user.selectOptions(select, 'user:default/bob');
    await user.click(
      within(dialog).getByRole('button', { name: 'Add to team' }),
    );

    expect(paasApi.addTeamMember).toHaveBeenCalledWith(
      'acme-payments',
      'ledger',
      'user:default/bob',
    );
  });

  it('takes a member out of a team', async () => {
    const paasApi = mockPaasApi();
    await renderOrganizationPage(paasApi, 'teams');

    await user.click(
      await screen.findByRole('button', {
        name: 'Remove user:default/ada from checkout',
      }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('They stay a member of the organization');
    await user.click(within(dialog).getByRole('button', { name: 'Remove' }));

    expect(paasApi.removeTeamMember).toHaveBeenCalledWith(
      'acme-payments',
      'checkout',
      'user:default/ada',
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
  });

  it('offers to create the first team, and shows load failures', async () => {
    await renderOrganizationPage(
      mockPaasApi({ listTeams: jest.fn().mockResolvedValue([]) }),
      'teams',
    );
    expect(await screen.findByText('No teams yet')).toBeInTheDocument();
    await user.click(
      screen.getByRole('button', { name: 'Create the first team' }),
    );
    expect(await screen.findByRole('dialog')).toBeInTheDocument();
  });

  it('shows the backend message when the teams cannot be loaded', async () => {
    await renderOrganizationPage(
      mockPaasApi({
        listTeams: jest
          .fn()
          .mockRejectedValue(
            await errorFromBackend(500, 'Error', 'database is on fire'),
          ),
      }),
      'teams',
    );
    expect(
      await screen.findByText(/Could not load the teams/),
    ).toBeInTheDocument();
    expect(screen.getAllByText(/database is on fire/).length).toBeGreaterThan(
      0,
    );
  });
});
