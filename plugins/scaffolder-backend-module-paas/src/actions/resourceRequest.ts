import { JsonObject } from '@backstage/types';
import { InputError } from '@backstage/errors';
import {
  createResourceRequestSchema,
  CreateResourceRequest,
  dnsLabelSchema,
  isResourceKind,
  RESOURCE_KINDS,
  ResourceKind,
  resourceSpecSchemas,
} from '@paasport/plugin-paas-common';
import { describeIssues, present } from './shared';

/** The input of the resource actions, as a template hands it over. */
export type ResourceInput = {
  /** With `team`; or give `owner` instead of both. */
  organization?: string;
  team?: string;
  /** The team's catalog group, such as `group:default/acme-checkout`. */
  owner?: string;
  name: string;
  /** Only on `paas:resource:create`; the per-kind actions know their kind. */
  kind?: string;
  spec?: JsonObject;
  component?: string;
  deletionPolicy?: string;
  reason?: string;
  wait?: boolean;
  timeoutSeconds?: number;
};

/** Forms hand over empty strings and nulls for optional fields left blank. */
function withoutBlanks(spec: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(spec).filter(
      ([, value]) =>
        value !== null &&
        value !== undefined &&
        !(typeof value === 'string' && value.trim() === ''),
    ),
  );
}

/**
 * Validates the input with the backend's own schemas (the request, then the kind's spec),
 * or throws an InputError naming each bad field. Returns the organization and the body.
 */
export function parseResourceRequest(
  input: ResourceInput,
  fixedKind?: ResourceKind,
): {
  organization: string;
  kind: ResourceKind;
  request: CreateResourceRequest;
} {
  const kind = fixedKind ?? input.kind;
  if (!kind || !isResourceKind(kind)) {
    throw new InputError(
      `Invalid resource: kind: must be one of ${RESOURCE_KINDS.join(', ')}`,
    );
  }
  const organization = dnsLabelSchema.safeParse(input.organization);
  const result = createResourceRequestSchema.safeParse({
    team: input.team,
    name: input.name,
    kind,
    spec: withoutBlanks(input.spec ?? {}),
    component: present(input.component),
    deletionPolicy: present(input.deletionPolicy),
    reason: present(input.reason),
  });
  const problems = [
    ...(organization.success
      ? []
      : [`organization: ${describeIssues(organization.error)}`]),
    ...(result.success ? [] : [describeIssues(result.error)]),
  ];
  if (result.success) {
    const spec = resourceSpecSchemas[kind].safeParse(result.data.spec);
    if (!spec.success) {
      problems.push(
        describeIssues(spec.error)
          .split('; ')
          .map(problem => `spec.${problem}`)
          .join('; '),
      );
    }
  }
  if (problems.length > 0 || !result.success || !organization.success) {
    throw new InputError(`Invalid resource: ${problems.join('; ')}`);
  }
  return { organization: organization.data, kind, request: result.data };
}
