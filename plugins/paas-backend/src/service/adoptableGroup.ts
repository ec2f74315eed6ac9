import { ConflictError } from '@backstage/errors';

const DEFAULT_GROUP = /^group:default\/(.+)$/i;

/**
 * Refuses to adopt a group Paasport publishes for an organization or team: adopting
 * another tenant's group would take it (and what it owns) from that tenant.
 */
export async function assertAdoptableGroup(
  groupRef: string | undefined,
  isPaasportGroupName: (name: string) => Promise<boolean>,
): Promise<void> {
  const name = groupRef && DEFAULT_GROUP.exec(groupRef)?.[1];
  if (name && (await isPaasportGroupName(name))) {
    throw new ConflictError(
      `groupRef: '${groupRef}' is a catalog group Paasport publishes for an organization or team; adopt only groups from outside Paasport`,
    );
  }
}
