import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  ada,
  bob,
  errorFromBackend,
  mockPaasApi,
} from '../../__testUtils__/paasFixtures';
import { renderOrganizationPage } from '../../__testUtils__/renderOrganizationPage';

// material-table and MUI dialogs are slow to render under jsdom on a busy machine.
jest.setTimeout(30_000);

describe('OrganizationPage', () => {
  const user = userEvent.setup({ delay: null });

  it('shows the organization in the header and its members first', async () => {
    const paasApi = mockPaasApi();
    await renderOrganizationPage(paasApi);

    expect(
      await screen.findByRole('heading', { name: 'Acme Payments' }),
    ).toBeInTheDocument();
    expect(screen.getByText('Everything that moves money')).toBeInTheDocument();
    expect(screen.getByText('Your role').nextSibling).toHaveTextContent(
      'admin',
    );
    for (const tab of [
      'Members',
      'Teams',
      'Resources',
      'Deployments',
      'Invite codes',
      'Quotas',
      'Quota history',
    ]) {
      expect(screen.getByRole('tab', { name: tab })).toBeInTheDocument();
    }

    expect(await screen.findByText('Members (2)')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /ada/ })).toHaveAttribute(
      'href',
      '/catalog/default/user/ada',
    );
    expect(
      screen.getByRole('combobox', { name: 'Role of user:default/ada' }),
    ).toHaveValue('admin');
    expect(
      screen.getByRole('combobox', { name: 'Role of user:default/bob' }),
    ).toHaveValue('developer');
    expect(screen.getByText('checkout')).toBeInTheDocument();
    expect(screen.getByText('none')).toBeInTheDocument();
    expect(screen.getByTitle(ada.createdAt)).toBeInTheDocument();
    expect(paasApi.getOrganization).toHaveBeenCalledWith('acme-payments');
    expect(paasApi.listMembers).toHaveBeenCalledWith('acme-payments');
  });

  it('changes a role through the API and reloads the members', async () => {
    const paasApi = mockPaasApi({
      listMembers: jest
        .fn()
        .mockResolvedValueOnce([ada, bob])
        .mockResolvedValue([ada, { ...bob, role: 'viewer' }]),
      setMemberRole: jest.fn().mockResolvedValue({ ...bob, role: 'viewer' }),
    });
    await renderOrganizationPage(paasApi);

    const role = await screen.findByRole('combobox', {
      name: 'Role of user:default/bob',
    });
    await user.selectOptions(role, 'viewer');

    expect(paasApi.setMemberRole).toHaveBeenCalledWith(
      'acme-payments',
      'user:default/bob',
      'viewer',
    );
    await waitFor(() =>
      expect(
        screen.getByRole('combobox', { name: 'Role of user:default/bob' }),
      ).toHaveValue('viewer'),
    );
    expect(paasApi.listMembers).toHaveBeenCalledTimes(2);
  });

  it('shows why a role change was refused', async () => {
    const paasApi = mockPaasApi({
      setMemberRole: jest
        .fn()
        .mockRejectedValue(
          await errorFromBackend(
            409,
            'ConflictError',
            'An organization needs at least one admin; make someone else admin first',
          ),
        ),
    });
    await renderOrganizationPage(paasApi);

    await user.selectOptions(
      await screen.findByRole('combobox', {
        name: 'Role of user:default/ada',
      }),
      'developer',
    );

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'An organization needs at least one admin',
    );
    expect(
      screen.getByRole('combobox', { name: 'Role of user:default/ada' }),
    ).toHaveValue('admin');
  });

  it('adds a member from a short user name', async () => {
    const paasApi = mockPaasApi({
      setMemberRole: jest.fn().mockResolvedValue({
        ...bob,
        userRef: 'user:default/cleo',
        role: 'viewer',
      }),
    });
    await renderOrganizationPage(paasApi);
    await screen.findByText('Members (2)');

    await user.click(screen.getByRole('button', { name: 'Add member' }));
    const dialog = await screen.findByRole('dialog');
    await user.type(
      within(dialog).getByRole('textbox', { name: /User/ }),
      'cleo',
    );
    await user.selectOptions(
      within(dialog).getByRole('combobox', { name: 'Role' }),
      'viewer',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Add' }));

    expect(paasApi.setMemberRole).toHaveBeenCalledWith(
      'acme-payments',
      'user:default/cleo',
      'viewer',
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
  });

  it('keeps the remove dialog open with the backend message on a 409', async () => {
    const paasApi = mockPaasApi({
      removeMember: jest
        .fn()
        .mockRejectedValue(
          await errorFromBackend(
            409,
            'ConflictError',
            'An organization needs at least one admin; make someone else admin first',
          ),
        ),
    });
    await renderOrganizationPage(paasApi);

    await user.click(
      await screen.findByRole('button', { name: 'Remove user:default/ada' }),
    );
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: 'Remove' }));

    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'An organization needs at least one admin',
    );
    expect(paasApi.removeMember).toHaveBeenCalledWith(
      'acme-payments',
      'user:default/ada',
    );
  });

  it('invites to add the first member when there is none', async () => {
    await renderOrganizationPage(
      mockPaasApi({ listMembers: jest.fn().mockResolvedValue([]) }),
    );

    expect(await screen.findByText('No members yet')).toBeInTheDocument();
    await user.click(
      screen.getByRole('button', { name: 'Add the first member' }),
    );
    expect(await screen.findByRole('dialog')).toBeInTheDocument();
  });

  it('shows the backend message when the members cannot be loaded', async () => {
    await renderOrganizationPage(
      mockPaasApi({
        listMembers: jest
          .fn()
          .mockRejectedValue(
            await errorFromBackend(403, 'NotAllowedError', 'You may not look'),
          ),
      }),
    );

    expect(
      await screen.findByText(/Could not load the members/),
    ).toBeInTheDocument();
    expect(screen.getAllByText(/You may not look/).length).toBeGreaterThan(0);
  });

  it('says so when the organization does not exist or is hidden', async () => {
    await renderOrganizationPage(
      mockPaasApi({
        getOrganization: jest
          .fn()
          .mockRejectedValue(
            await errorFromBackend(404, 'NotFoundError', 'not found'),
          ),
      }),
    );

    expect(
      await screen.findByText('Organization not found'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Back to organizations' }),
    ).toHaveAttribute('href', '/paasport');
  });
});
