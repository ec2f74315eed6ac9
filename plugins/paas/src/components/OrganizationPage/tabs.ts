/** Paths of the organization page's tabs, relative to the page. */
export const ORGANIZATION_TABS = {
  members: 'members',
  teams: 'teams',
  resources: 'resources',
  deployments: 'deployments',
  invites: 'invites',
  quotas: 'quotas',
  quotaHistory: 'quota-history',
  approvals: 'approvals',
} as const;
