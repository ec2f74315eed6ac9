/**
 * Annotation that the Paasport catalog module puts on the Group it publishes for an
 * organization; its value is the organization's name.
 *
 * @public
 */
export const PAASPORT_ORGANIZATION_ANNOTATION = 'paasport.io/organization';
