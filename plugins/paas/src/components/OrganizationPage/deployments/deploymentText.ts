import type {
  Deployment,
  DeploymentQueueStatus,
} from '@paasport/plugin-paas-common';
import { describeDuration } from '../../common/durationText';
import { describeDimension, formatNumber } from '../../QuotaBar';

/**
 * A queue's estimated wait in words, such as `5–10 minutes` or `30 minutes – 2 hours`;
 * undefined without an estimate (the backend gives none from too little history).
 */
export function formatWait(
  wait: DeploymentQueueStatus['estimatedWait'],
): string | undefined {
  if (!wait) {
    return undefined;
  }
  const low = describeDuration(wait.minSeconds);
  const high = describeDuration(wait.maxSeconds);
  if (low === high) {
    return high;
  }
  if (wait.minSeconds < 60) {
    return `up to ${high}`;
  }
  const [lowCount, lowUnit] = low.split(' ');
  const [, highUnit] = high.split(' ');
  return lowUnit.replace(/s$/, '') === highUnit.replace(/s$/, '')
    ? `${lowCount}–${high}`
    : `${low} – ${high}`;
}

/** What each replica asks for, such as `0.5 cores, 1 GiB, 1 GPU (nvidia-a100)`. */
export function describeReplicaRequest(
  deployment: Pick<Deployment, 'resources' | 'gpuType'>,
): string {
  const { resources, gpuType } = deployment;
  const parts = [
    describeDimension('cpu-millicores').format(resources.cpuMillicores),
    describeDimension('memory-mib').format(resources.memoryMib),
  ];
  if (resources.gpus > 0) {
    const gpus = describeDimension('gpus').format(resources.gpus);
    parts.push(gpuType ? `${gpus} (${gpuType})` : gpus);
  }
  return parts.join(', ');
}

/** Replicas times what each asks for, such as `2 × 0.5 cores, 1 GiB`. */
export function describeRequests(
  deployment: Pick<Deployment, 'replicas' | 'resources' | 'gpuType'>,
): string {
  return `${formatNumber(deployment.replicas)} × ${describeReplicaRequest(
    deployment,
  )}`;
}
