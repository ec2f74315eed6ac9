import { useRouteRef } from '@backstage/core-plugin-api';
import { rootRouteRef } from '../../routes';

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
