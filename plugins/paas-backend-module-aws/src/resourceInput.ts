import { InputError } from '@backstage/errors';
import {
  ResourceKind,
  ResourceSpec,
  resourceSpecSchemas,
} from '@paasport/plugin-paas-common';
import { DesiredResource } from '@paasport/plugin-paas-node';

/** Throws an `InputError` unless the resource is of the kind the provider handles. */
export function assertKind(
  providerId: string,
  kind: ResourceKind,
  resource: DesiredResource,
): void {
  if (resource.kind !== kind) {
    throw new InputError(
      `Provider ${providerId} handles ${kind}, not ${resource.kind}`,
    );
  }
}

/**
 * The resource's spec, validated and with its defaults filled in. An invalid spec is an
 * `InputError` naming every offending field; `what` names the resource for the message,
 * such as `DynamoDB table orders`.
 */
export function parseSpecOf<K extends ResourceKind>(
  kind: K,
  resource: DesiredResource,
  what: string,
): ResourceSpec<K> {
  const parsed = resourceSpecSchemas[kind].safeParse(resource.spec);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .map(issue => `${issue.path.join('.') || 'spec'}: ${issue.message}`)
      .join('; ');
    throw new InputError(`Invalid spec of ${what}: ${issues}`);
  }
  return parsed.data as ResourceSpec<K>;
}
