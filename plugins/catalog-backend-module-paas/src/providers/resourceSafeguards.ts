import { ResourceCondition } from '@paasport/plugin-paas-common';

/**
 * Settings a provider reports as conditions, with the catalog tag and the words each
 * gives the entity. In the order they are told.
 */
const SAFEGUARDS: { condition: string; tag: string; words: string }[] = [
  {
    condition: 'PublicAccessBlocked',
    tag: 'public-access-blocked',
    words: 'public access blocked',
  },
  { condition: 'Encrypted', tag: 'encrypted', words: 'encrypted' },
  {
    condition: 'SecureTransportOnly',
    tag: 'tls-only',
    words: 'TLS required',
  },
  { condition: 'Versioned', tag: 'versioned', words: 'versioned' },
  {
    condition: 'PointInTimeRecovery',
    tag: 'point-in-time-recovery',
    words: 'point-in-time recovery on',
  },
  {
    condition: 'Tagged',
    tag: 'paasport-tagged',
    words: 'Paasport tags applied',
  },
];

/**
 * The safeguards the resource's provider confirmed: only conditions with status `True`,
 * so that a setting that was asked for, or could not be checked, is never claimed.
 */
export function confirmedSafeguards(
  conditions: ResourceCondition[],
): { tag: string; words: string }[] {
  const confirmed = new Set(
    conditions.filter(c => c.status === 'True').map(c => c.type),
  );
  return SAFEGUARDS.filter(s => confirmed.has(s.condition)).map(
    ({ tag, words }) => ({ tag, words }),
  );
}
