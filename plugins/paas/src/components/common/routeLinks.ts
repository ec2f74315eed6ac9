import { useRouteRef } from '@backstage/core-plugin-api';
import {
  approvalsRouteRef,
  clustersRouteRef,
  joinRouteRef,
  organizationRouteRef,
  rootRouteRef,
} from '../../routes';

/**
 * The path of the Paasport page, or undefined when the app does not mount it (a legacy app
 * may show the entity card without the page).
 */
export function usePaasportPageLink(): string | undefined {
  try {
    return useRouteRef(rootRouteRef)();
  } catch {
    return undefined;
  }
}

/** The path of the "Join an organization" page, or undefined when the app does not mount it. */
export function useJoinPageLink(): string | undefined {
  try {
    return useRouteRef(joinRouteRef)();
  } catch {
    return undefined;
  }
}

/** The path of the approvals inbox, or undefined when the app does not mount it. */
export function useApprovalsPageLink(): string | undefined {
  try {
    return useRouteRef(approvalsRouteRef)();
  } catch {
    return undefined;
  }
}

/** The path of the clusters page, or undefined when the app does not mount it. */
export function useClustersPageLink(): string | undefined {
  try {
    return useRouteRef(clustersRouteRef)();
  } catch {
    return undefined;
  }
}

/**
 * A function giving the path of an organization's page (optionally one of its tabs), or
 * undefined when the app does not mount the Paasport page.
 */
export function useOrganizationLink():
  | ((organization: string, tab?: string) => string)
  | undefined {
  const resolve = useOrganizationRoute();
  if (!resolve) {
    return undefined;
  }
  return (organization, tab) => {
    const base = resolve({ org: organization });
    return tab ? `${base}/${tab}` : base;
  };
}

function useOrganizationRoute():
  | ((params: { org: string }) => string)
  | undefined {
  try {
    return useRouteRef(organizationRouteRef);
  } catch {
    return undefined;
  }
}
