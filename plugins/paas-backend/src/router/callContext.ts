import { HttpAuthService } from '@backstage/backend-plugin-api';
import { Request } from 'express';
import { CallContext } from '../service/CallContext';

/**
 * The call context of a route a signed-in user calls; a plain service call gets 403.
 * Backstage's permissions service allows service principals without asking the policy,
 * so letting them in would make every backend plugin a platform admin. Calls a plugin makes
 * on behalf of a user carry that user's credentials and pass.
 */
export function userContext(httpAuth: HttpAuthService) {
  return async (request: Request): Promise<CallContext> => ({
    credentials: await httpAuth.credentials(request, { allow: ['user'] }),
    request,
  });
}

/**
 * The call context of a read that plain service calls may also make: only the reads the
 * catalog module makes with its own credentials (organizations, teams, members, resources).
 */
export function userOrServiceContext(httpAuth: HttpAuthService) {
  return async (request: Request): Promise<CallContext> => ({
    credentials: await httpAuth.credentials(request, {
      allow: ['user', 'service'],
    }),
    request,
  });
}
