import { ConflictError, InputError } from '@backstage/errors';
import { Cluster } from '@paasport/plugin-paas-common';

/** Where a namespace lands, and the labels approval rules judge it by. */
export interface NamespacePlacement {
  /** The spec with the cluster filled in. */
  spec: Record<string, unknown>;
  /** Every label of the cluster it lands on. */
  labels: Record<string, string>;
}

/**
 * Places a namespace on a cluster labelled with its environment: the cluster it names, which
 * must carry `environment=<its environment>` (400 otherwise), or else the first ready one
 * that does, by name (409 when there is none). Approval rules then match on the labels of
 * the cluster it really lands on, so naming a cluster cannot step around a rule.
 */
export function placeNamespace(
  spec: Record<string, unknown>,
  clusters: Cluster[],
): NamespacePlacement {
  const environment = String(spec.environment);
  if (spec.cluster !== undefined) {
    const named = clusters.find(c => c.name === spec.cluster);
    if (!named) {
      throw new InputError(
        `Invalid resource: spec.cluster: no cluster named '${spec.cluster}' is registered`,
      );
    }
    if (named.labels.environment !== environment) {
      throw new InputError(
        `Invalid resource: spec.environment: '${environment}' disagrees with cluster '${
          named.name
        }', which is ${
          named.labels.environment === undefined
            ? 'not labelled with an environment'
            : `labelled environment=${named.labels.environment}`
        }`,
      );
    }
    return { spec, labels: named.labels };
  }
  const match = clusters
    .filter(c => c.state === 'ready' && c.labels.environment === environment)
    .sort((a, b) => a.name.localeCompare(b.name))[0];
  if (!match) {
    throw new ConflictError(
      `No ready cluster is labelled environment=${environment}, so a namespace for ${environment} has nowhere to go`,
    );
  }
  return { spec: { ...spec, cluster: match.name }, labels: match.labels };
}
