import {
  ORGANIZATION_ROLES,
  OrganizationRole,
} from '@paasport/plugin-paas-common';

/** What each role may do, in a few words, for pickers. */
export const ROLE_DESCRIPTIONS: Record<OrganizationRole, string> = {
  admin: 'admin: manages members, teams, invites and team quotas',
  developer: 'developer: provisions resources and deploys',
  viewer: 'viewer: sees the organization, changes nothing',
};

export { ORGANIZATION_ROLES };
export type { OrganizationRole };
