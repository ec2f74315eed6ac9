import { TeamNamespace } from '../database/WorkloadStore';

/** The namespace a deployment may run in, or why it has to wait for one. */
export type NamespaceChoice = { namespace: string } | { waiting: string };

/**
 * A deployment runs only in a namespace Paasport provisioned for its team and environment
 * on the cluster it was placed on, so it gets that namespace's quota, limits, network
 * policies and role binding; a Deployment written anywhere else would run without them.
 * With several such namespaces, the oldest takes it.
 */
export function chooseNamespace(
  deployment: { placement: Record<string, string>; cluster: string },
  namespaces: TeamNamespace[],
): NamespaceChoice {
  const environment = deployment.placement.environment;
  if (!environment) {
    return {
      waiting:
        'Waiting: the deployment states no environment, so it has no namespace to run in; delete it and deploy again with placement.environment',
    };
  }
  const ofEnvironment = namespaces.filter(n => n.environment === environment);
  const here = ofEnvironment.find(n => n.cluster === deployment.cluster);
  if (here?.phase === 'ready') {
    return { namespace: here.externalName };
  }
  if (here) {
    return {
      waiting: `Waiting for the team's ${environment} namespace ${here.externalName} on ${deployment.cluster} to be ready (it is ${here.phase})`,
    };
  }
  const elsewhere = ofEnvironment
    .map(n => `${n.externalName} on ${n.cluster ?? 'the default cluster'}`)
    .join(', ');
  return {
    waiting: elsewhere
      ? `Waiting for a ${environment} namespace of the team on ${deployment.cluster}; it has ${elsewhere}`
      : `Waiting for a ${environment} namespace of the team on ${deployment.cluster}: request one with the Kubernetes namespace template`,
  };
}
