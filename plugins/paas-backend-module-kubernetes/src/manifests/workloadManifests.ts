import { InputError } from '@backstage/errors';
import {
  containerImageSchema,
  gpuTypeSchema,
} from '@paasport/plugin-paas-common';
import { loadKubernetesModels } from './kubernetesModels';
import {
  assertUserLabelKey,
  isDnsLabel,
  LABEL_APP_NAME,
  LABEL_MANAGED_BY,
  LABEL_ORGANIZATION,
  LABEL_RESOURCE_ID,
  LABEL_TEAM,
  MANAGED_BY_PAASPORT,
  NODE_LABEL_GPU_TYPE,
  toLabelValue,
  withExtraLabels,
} from './labels';
import {
  assertTenantNamespace,
  NVIDIA_GPU_RESOURCE,
} from './namespaceManifests';
import { assertCount, cpuQuantity, memoryQuantity } from './quantity';
import { KubernetesManifest, WorkloadManifestsInput } from './types';
import { validated } from './validated';

const TMP_VOLUME = 'tmp';

function assertPositiveCount(field: string, value: number): void {
  assertCount(field, value);
  if (value === 0) {
    throw new InputError(`${field} must be at least 1; got 0`);
  }
}

function checkInput(input: WorkloadManifestsInput): void {
  const { name, image, resources } = input;
  if (!isDnsLabel(name)) {
    throw new InputError(
      `Workload name '${name}' must be at most 63 lower-case letters, digits and dashes, starting and ending with a letter or digit`,
    );
  }
  assertTenantNamespace(input.namespace);
  const parsedImage = containerImageSchema.safeParse(image);
  if (!parsedImage.success) {
    throw new InputError(
      `Image '${image}' ${parsedImage.error.issues[0].message}`,
    );
  }
  assertCount('replicas', input.replicas);
  assertPositiveCount('resources.cpuMillicores', resources.cpuMillicores);
  assertPositiveCount('resources.memoryMiB', resources.memoryMiB);
  assertCount('resources.gpus', resources.gpus);
  if (resources.gpuType !== undefined) {
    if (resources.gpus === 0) {
      throw new InputError(
        `resources.gpuType '${resources.gpuType}' needs resources.gpus above 0`,
      );
    }
    const parsedType = gpuTypeSchema.safeParse(resources.gpuType);
    if (!parsedType.success) {
      throw new InputError(
        `resources.gpuType '${resources.gpuType}' ${parsedType.error.issues[0].message}`,
      );
    }
  }
  for (const key of Object.keys(input.extraLabels ?? {})) {
    assertUserLabelKey(key);
  }
}

/**
 * Builds the objects of one workload, validated against the Kubernetes schema: an
 * `apps/v1` Deployment with one container whose requests equal its limits, NVIDIA GPUs
 * when it asks for any, a read-only root filesystem unless it opts out, and a pod that
 * passes Pod Security `restricted`.
 *
 * Deterministic, like {@link buildNamespaceManifests}. Throws an `InputError` when the
 * input would give an object the API server would refuse.
 *
 * @public
 */
export async function buildWorkloadManifests(
  input: WorkloadManifestsInput,
): Promise<KubernetesManifest[]> {
  checkInput(input);
  const { Deployment } = await loadKubernetesModels();
  const { name, namespace, resources } = input;
  const resourceId = toLabelValue(input.resourceId);
  const labels = withExtraLabels(
    {
      [LABEL_MANAGED_BY]: MANAGED_BY_PAASPORT,
      [LABEL_RESOURCE_ID]: resourceId,
      [LABEL_ORGANIZATION]: toLabelValue(input.organization),
      [LABEL_TEAM]: toLabelValue(input.team),
      [LABEL_APP_NAME]: name,
    },
    input.extraLabels,
  );
  // Extended resources such as GPUs must have requests equal to limits; CPU and memory
  // get the same, so a replica is guaranteed what the scheduler reserved for it.
  const amounts: Record<string, string> = {
    cpu: cpuQuantity(resources.cpuMillicores),
    memory: memoryQuantity(resources.memoryMiB),
  };
  if (resources.gpus > 0) {
    amounts[NVIDIA_GPU_RESOURCE] = String(resources.gpus);
  }
  const readOnlyRoot = !input.writableRootFilesystem;

  const deployment = new Deployment({
    metadata: { name, namespace, labels },
    spec: {
      replicas: input.replicas,
      // Immutable once created, so only labels that never change for a workload.
      selector: {
        matchLabels: {
          [LABEL_APP_NAME]: name,
          [LABEL_RESOURCE_ID]: resourceId,
        },
      },
      template: {
        metadata: { labels: { ...labels } },
        spec: {
          // The workload has no business with the Kubernetes API; without a mounted token a
          // compromised container cannot act as the namespace's default service account.
          automountServiceAccountToken: false,
          securityContext: {
            runAsNonRoot: true,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [
            {
              name,
              image: input.image,
              resources: { requests: { ...amounts }, limits: { ...amounts } },
              securityContext: {
                allowPrivilegeEscalation: false,
                capabilities: { drop: ['ALL'] },
                readOnlyRootFilesystem: readOnlyRoot,
              },
              ...(readOnlyRoot
                ? { volumeMounts: [{ name: TMP_VOLUME, mountPath: '/tmp' }] }
                : {}),
            },
          ],
          // Most images, and many runtimes (Java, Python, nginx), write temporary files;
          // with a read-only root they get a scratch /tmp that lives as long as the pod.
          ...(readOnlyRoot
            ? { volumes: [{ name: TMP_VOLUME, emptyDir: {} }] }
            : {}),
          ...(resources.gpus > 0
            ? {
                // GPU nodes are commonly tainted `nvidia.com/gpu:NoSchedule` so that only
                // pods that need a GPU land on them.
                tolerations: [
                  {
                    key: NVIDIA_GPU_RESOURCE,
                    operator: 'Exists',
                    effect: 'NoSchedule',
                  },
                ],
              }
            : {}),
          ...(resources.gpuType
            ? { nodeSelector: { [NODE_LABEL_GPU_TYPE]: resources.gpuType } }
            : {}),
        },
      },
    },
  });
  return [validated(deployment, `Deployment '${name}'`)];
}
