import { entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  PermissionApi,
  permissionApiRef,
} from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { Route, Routes } from 'react-router-dom';
import { PaasApi, paasApiRef } from '../api';
import { PaasportPage } from '../components/PaasportPage';
import { clustersRouteRef, joinRouteRef, rootRouteRef } from '../routes';

/**
 * Renders the legacy Paasport page, mounted at /paasport, on the page of organization
 * acme-payments (optionally one of its tabs). Every permission is allowed unless another
 * permission API is given.
 */
export async function renderOrganizationPage(
  paasApi: PaasApi,
  tab?: string,
  permissionApi: PermissionApi = mockApis.permission(),
) {
  const path = `/paasport/organizations/acme-payments${tab ? `/${tab}` : ''}`;
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [paasApiRef, paasApi],
        [permissionApiRef, permissionApi],
      ]}
    >
      <Routes>
        <Route path="/paasport/*" element={<PaasportPage />} />
      </Routes>
    </TestApiProvider>,
    {
      routeEntries: [path],
      mountedRoutes: {
        '/paasport': rootRouteRef,
        '/paasport/join': joinRouteRef,
        '/paasport/clusters': clustersRouteRef,
        '/catalog/:namespace/:kind/:name': entityRouteRef,
      },
    },
  );
}
