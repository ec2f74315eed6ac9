import { z } from 'zod';

/**
 * A name that is valid as a Kubernetes namespace, a DNS label and a catalog entity name:
 * lower-case letters, digits and dashes, starting with a letter, at most 63 characters.
 * @public
 */
export const dnsLabelSchema = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-z]([-a-z0-9]*[a-z0-9])?$/, {
    message:
      'must be lower-case letters, digits and dashes, start with a letter and not end with a dash',
  });

/**
 * Entity references the catalog understands, in full form: `kind:namespace/name`.
 * @public
 */
export const entityRefSchema = z
  .string()
  .max(255)
  .regex(
    /^[a-z][a-z0-9-]*:[a-z0-9][a-z0-9-_.]*\/[A-Za-z0-9][A-Za-z0-9-_.]*$/i,
    {
      message: 'must be a full entity reference such as group:default/checkout',
    },
  );

/**
 * The catalog group Paasport publishes for a team, `<organization>-<team>`: the team's
 * owner ref, its Kubernetes RBAC group and what no other tenant may take.
 * @public
 */
export function teamGroupName(organization: string, team: string): string {
  return `${organization}-${team}`;
}
