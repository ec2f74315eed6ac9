import { paasApiRef } from './api';
import {
  PaasportApprovalsPage,
  PaasportClustersPage,
  PaasportJoinPage,
  paasPlugin,
} from './plugin';
import {
  approvalsRouteRef,
  clustersRouteRef,
  joinRouteRef,
  organizationRouteRef,
  rootRouteRef,
} from './routes';

describe('paasPlugin (legacy frontend system)', () => {
  it('has the paas id, the page routes and the API factory', () => {
    expect(paasPlugin.getId()).toBe('paas');
    expect(paasPlugin.routes.root).toBe(rootRouteRef);
    expect(paasPlugin.routes.organization).toBe(organizationRouteRef);
    expect(paasPlugin.routes.join).toBe(joinRouteRef);
    expect(paasPlugin.routes.approvals).toBe(approvalsRouteRef);
    expect(paasPlugin.routes.clusters).toBe(clustersRouteRef);
    expect(PaasportJoinPage).toBeDefined();
    expect(PaasportApprovalsPage).toBeDefined();
    expect(PaasportClustersPage).toBeDefined();
    const apiIds = Array.from(paasPlugin.getApis()).map(
      factory => factory.api.id,
    );
    expect(apiIds).toEqual([paasApiRef.id]);
  });
});

describe('routes', () => {
  it("puts an organization's page below the Paasport page", () => {
    expect(organizationRouteRef.parent).toBe(rootRouteRef);
    expect(organizationRouteRef.path).toBe('/organizations/:org');
    expect(organizationRouteRef.params).toEqual(['org']);
  });
});
