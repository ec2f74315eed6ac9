/**
 * Annotation on the catalog Group Paasport publishes for an organization; its value is the
 * organization's name.
 * @public
 */
export const PAAS_ORGANIZATION_ANNOTATION = 'paasport.io/organization';
