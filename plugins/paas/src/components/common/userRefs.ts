import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';

/**
 * Accepts `ada`, `default/ada` or `user:default/ada` and returns the full reference the backend
 * expects; throws with a readable message for anything else.
 */
export function normalizeUserRef(value: string): string {
  const ref = parseEntityRef(value.trim(), {
    defaultKind: 'user',
    defaultNamespace: 'default',
  });
  if (ref.kind.toLocaleLowerCase('en-US') !== 'user') {
    throw new Error(`Only users can be members, not a ${ref.kind}`);
  }
  return stringifyEntityRef({ ...ref, kind: 'user' });
}
