import { Cluster, ClusterResources } from '@paasport/plugin-paas-common';
import { SchedulableDeployment } from '../database/DeploymentStore';
import { ClusterSlot } from './planning';
import { explainWait } from './waitingReason';

const resources = (
  cpu: number,
  memory: number,
  gpus = 0,
): ClusterResources => ({
  cpuMillicores: cpu,
  memoryMib: memory,
  gpus,
});

function slot(
  name: string,
  free: ClusterResources,
  extra: Partial<Cluster> = {},
): ClusterSlot {
  const cluster = {
    name,
    capacity: resources(8000, 16_384),
    labels: {},
    state: 'ready',
    ...extra,
  } as Cluster;
  return { cluster, free };
}

const deployment = (
  d: Partial<SchedulableDeployment> = {},
): SchedulableDeployment => ({
  id: 'd',
  organization: 'acme',
  team: 'web',
  replicas: 1,
  resources: resources(2000, 4096),
  priority: 100,
  placement: {},
  queuedAt: 0,
  ...d,
});

describe('explainWait', () => {
  it('names every state that keeps the matching clusters out', () => {
    const slots = [
      slot('a', resources(8000, 16_384), { state: 'cordoned' }),
      slot('b', resources(8000, 16_384), { state: 'draining' }),
    ];
    expect(explainWait({ slots, d: deployment(), excluded: new Set() })).toBe(
      'Clusters that could hold it are cordoned or draining',
    );
  });

  it('says when the clusters that could hold it are kept for a starving deployment', () => {
    const slots = [slot('a', resources(8000, 16_384))];
    expect(
      explainWait({ slots, d: deployment(), excluded: new Set(['a']) }),
    ).toBe(
      'Clusters that could hold it are kept for a deployment that has waited longer',
    );
  });

  it('asks for everything at once when each dimension alone is free somewhere', () => {
    const slots = [
      slot('a', resources(4000, 1024)),
      slot('b', resources(1000, 8192)),
    ];
    expect(explainWait({ slots, d: deployment(), excluded: new Set() })).toBe(
      'Waiting for a cluster with 2 cores and 4 GiB free at once',
    );
  });

  it('reports quota only once some cluster could take the deployment', () => {
    const prod = slot('a', resources(8000, 16_384), {
      labels: { environment: 'prod' },
    });
    const quotaShort = 'cpu-millicores quota: 2000 needed, 0 left';
    expect(
      explainWait({
        slots: [prod],
        d: deployment({ placement: { environment: 'dev' } }),
        excluded: new Set(),
        quotaShort,
      }),
    ).toBe('No cluster is labelled environment=dev');
    expect(
      explainWait({
        slots: [prod],
        d: deployment({ placement: { environment: 'prod' } }),
        excluded: new Set(),
        quotaShort,
      }),
    ).toBe(`Waiting for quota: ${quotaShort}`);
  });

  it('says when no cluster is registered', () => {
    expect(
      explainWait({ slots: [], d: deployment(), excluded: new Set() }),
    ).toBe('No cluster is registered');
  });
});
