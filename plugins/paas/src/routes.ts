import { createRouteRef, createSubRouteRef } from '@backstage/core-plugin-api';

/** The Paasport page; shared by the legacy plugin and the new frontend system plugin. */
export const rootRouteRef = createRouteRef({ id: 'paas' });

/** One organization's page, inside the Paasport page: members, teams, invites and quotas. */
export const organizationRouteRef = createSubRouteRef({
  id: 'paas:organization',
  parent: rootRouteRef,
  path: '/organizations/:org',
});

/**
 * The "Join an organization" page. A page of its own rather than a sub-route, so that the new
 * frontend system gives it a navigation item for people who are not in any organization yet.
 */
export const joinRouteRef = createRouteRef({ id: 'paas:join' });

/**
 * The approvals inbox: what the signed-in user may approve or deny, across organizations. A
 * page of its own, like the join page, so that a legacy app can mount it as a routable
 * extension and the new frontend system gives approvers a navigation item.
 */
export const approvalsRouteRef = createRouteRef({ id: 'paas:approvals' });

/**
 * The clusters deployments are scheduled onto, with their capacity and allocation. A page of
 * its own, like the approvals inbox: clusters are shared by every organization.
 */
export const clustersRouteRef = createRouteRef({ id: 'paas:clusters' });
