import { mockApis } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import {
  paasResourceCreatePermission,
  paasResourceDeletePermission,
} from '@paasport/plugin-paas-common';
import { mockPaasApi } from '../../../__testUtils__/paasFixtures';
import { renderOrganizationPage } from '../../../__testUtils__/renderOrganizationPage';

jest.setTimeout(30_000);

// A file of its own: usePermission caches answers for the whole module, and here every answer
// is DENY.
const permissionApi = mockApis.permission.mock({
  // 'DENY' is AuthorizeResult.DENY, from a package this plugin does not depend on
  authorize: jest.fn().mockResolvedValue({ result: 'DENY' }),
});

describe('ResourcesSection without the resource permissions', () => {
  it('shows the resources with their history but no request, retry or delete', async () => {
    await renderOrganizationPage(mockPaasApi(), 'resources', permissionApi);

    expect(await screen.findByText('Resources (4)')).toBeInTheDocument();
    // the first test of the file: nothing is cached yet, so every question reaches the API
    await waitFor(() =>
      expect(permissionApi.authorize).toHaveBeenCalledWith({
        permission: paasResourceCreatePermission,
        resourceRef: 'acme-payments',
      }),
    );
    for (const id of ['res-receipts', 'res-entries', 'res-events']) {
      await waitFor(() =>
        expect(permissionApi.authorize).toHaveBeenCalledWith({
          permission: paasResourceDeletePermission,
          resourceRef: id,
        }),
      );
    }

    const failed = screen
      .getByText('acme-payments-ledger-entries')
      .closest('tr')!;
    expect(
      within(failed)
        .getAllByRole('button')
        .map(button => button.textContent),
    ).toEqual(['Conditions (2)', 'History']);
    expect(
      screen.queryByRole('button', { name: /^(Retry|Delete) / }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Request a resource' }),
    ).not.toBeInTheDocument();
  });

  it('offers no request in the empty state either', async () => {
    await renderOrganizationPage(
      mockPaasApi({ listResources: jest.fn().mockResolvedValue([]) }),
      'resources',
      permissionApi,
    );

    expect(
      await screen.findByText('No resources yet — request one from a template'),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Request a resource' }),
    ).not.toBeInTheDocument();
  });
});
