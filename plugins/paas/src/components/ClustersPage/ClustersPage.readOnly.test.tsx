import {
  mockApis,
  TestApiProvider,
  renderInTestApp,
} from '@backstage/test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { screen, waitFor, within } from '@testing-library/react';
import { paasClusterManagePermission } from '@paasport/plugin-paas-common';
import { mockPaasApi } from '../../__testUtils__/paasFixtures';
import { PaasApi, paasApiRef } from '../../api';
import { clustersRouteRef, rootRouteRef } from '../../routes';
import { ClustersPage } from './ClustersPage';

jest.setTimeout(30_000);

// A file of its own: usePermission caches answers for the whole module, and here every answer
// is DENY.
const permissionApi = mockApis.permission.mock({
  // 'DENY' is AuthorizeResult.DENY, from a package this plugin does not depend on
  authorize: jest.fn().mockResolvedValue({ result: 'DENY' }),
});

function render(paasApi: PaasApi) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [paasApiRef, paasApi],
        [permissionApiRef, permissionApi],
      ]}
    >
      <ClustersPage />
    </TestApiProvider>,
    {
      mountedRoutes: {
        '/paasport': rootRouteRef,
        '/paasport/clusters': clustersRouteRef,
      },
    },
  );
}

describe('ClustersPage without the cluster manage permission', () => {
  it('shows the clusters without any control that changes them', async () => {
    await render(mockPaasApi());

    expect(await screen.findByText('Clusters (2)')).toBeInTheDocument();
    await waitFor(() =>
      expect(permissionApi.authorize).toHaveBeenCalledWith({
        permission: paasClusterManagePermission,
      }),
    );

    expect(screen.getByRole('button', { name: 'Reload' })).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: /Register/ }),
    ).not.toBeInTheDocument();
    for (const title of ['EU GPU 1', 'US CPU 1']) {
      const row = screen.getByText(title).closest('tr')!;
      expect(within(row).queryAllByRole('button')).toEqual([]);
    }
  });

  it('offers no registration in the empty state either', async () => {
    await render(
      mockPaasApi({ listClusters: jest.fn().mockResolvedValue([]) }),
    );

    expect(await screen.findByText('No clusters yet')).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Back to Paasport' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: /Register/ }),
    ).not.toBeInTheDocument();
  });
});
