import { createHash } from 'node:crypto';
import { ManagedResource } from '@paasport/plugin-paas-common';
import { resourceEntityType } from './resourceTypes';

/** The catalog's limit on entity names. */
const MAX_NAME_LENGTH = 63;
const HASH_LENGTH = 8;

/**
 * The catalog name of a managed resource: `<type>-<organization>-<team>-<name>`, such as
 * `s3-bucket-acme-payments-checkout-assets`. The type keeps resources of different kinds
 * with the same name apart. A name longer than the catalog allows keeps its start and ends
 * in a hash of the resource's identity, so it stays the same on every refresh.
 *
 * Unique among live resources: the backend refuses a second live resource of a kind whose
 * `<organization>-<team>-<name>` equals another's, even when the parts differ.
 */
export function resourceEntityName(
  resource: Pick<ManagedResource, 'organization' | 'team' | 'kind' | 'name'>,
): string {
  const { organization, team, kind, name } = resource;
  const full = `${resourceEntityType(kind)}-${organization}-${team}-${name}`;
  if (full.length <= MAX_NAME_LENGTH) {
    return full;
  }
  const hash = createHash('sha256')
    .update(JSON.stringify([kind, organization, team, name]))
    .digest('hex')
    .slice(0, HASH_LENGTH);
  const head = full
    .slice(0, MAX_NAME_LENGTH - HASH_LENGTH - 1)
    .replace(/[-_.]+$/, '');
  return `${head}-${hash}`;
}
