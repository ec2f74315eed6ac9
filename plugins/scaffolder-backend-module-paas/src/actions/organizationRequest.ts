import { InputError } from '@backstage/errors';
import {
  CreateOrganizationRequest,
  createOrganizationRequestSchema,
} from '@paasport/plugin-paas-common';
import { describeIssues, present } from './shared';

export const ACTION_ID = 'paas:organization:create';

/**
 * Accepts the short forms a template author may write (`payments`,
 * `default/payments`, `group:payments`) and returns the full `group:namespace/name`.
 */
function normalizeGroupRef(ref: string): string {
  const match = /^(?:([^:/]+):)?(?:([^:/]+)\/)?([^:/]+)$/.exec(ref.trim());
  if (!match) {
    return ref;
  }
  const [, kind = 'group', namespace = 'default', name] = match;
  if (kind.toLocaleLowerCase('en-US') !== 'group') {
    throw new InputError(
      `Invalid input to ${ACTION_ID}: groupRef must refer to a Group, not a ${kind}`,
    );
  }
  return `group:${namespace}/${name}`;
}

/** Validates and normalizes the action input, or throws an InputError naming each bad field. */
export function parseRequest(input: {
  name: string;
  title?: string;
  description?: string;
  groupRef?: string;
}): CreateOrganizationRequest {
  const groupRef = present(input.groupRef);
  const result = createOrganizationRequestSchema.safeParse({
    name: input.name,
    title: present(input.title),
    description: present(input.description),
    groupRef: groupRef === undefined ? undefined : normalizeGroupRef(groupRef),
  });
  if (!result.success) {
    throw new InputError(
      `Invalid input to ${ACTION_ID}: ${describeIssues(result.error)}`,
    );
  }
  return result.data;
}
