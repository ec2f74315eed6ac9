/**
 * Annotation on the catalog Group Paasport publishes for an organization; its value is the
 * organization's name.
 * @public
 */
export const PAAS_ORGANIZATION_ANNOTATION = 'paasport.io/organization';

/**
 * Annotation on the catalog Group Paasport publishes for a team; its value is the team's name
 * within its organization.
 * @public
 */
export const PAAS_TEAM_ANNOTATION = 'paasport.io/team';
