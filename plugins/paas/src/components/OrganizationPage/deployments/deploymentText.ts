import type { Deployment } from '@paasport/plugin-paas-common';
import { describeDuration } from '../../common/durationText';
import { describeDimension, formatNumber } from '../../QuotaBar';

/** A queue's estimated wait in words, such as `about 5 minutes`; `unknown` without an estimate. */
export function formatWait(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) {
    return 'unknown';
  }
  return seconds < 60
    ? describeDuration(seconds)
    : `about ${describeDuration(seconds)}`;
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
