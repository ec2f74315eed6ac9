import { createRouteRef } from '@backstage/core-plugin-api';

/** The Paasport page; shared by the legacy plugin and the new frontend system plugin. */
export const rootRouteRef = createRouteRef({ id: 'paas' });
