import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '@backstage/errors';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { WorkloadManifestsInput } from './types';
import { buildWorkloadManifests } from './workloadManifests';
import { manifestsToYaml, parseYamlDocuments } from './yaml';

const baseInput: WorkloadManifestsInput = {
  name: 'payments-api',
  namespace: 'checkout-dev',
  resourceId: '0b6f4e7e-5d1c-4f0e-9a57-2c8d0e6b7a11',
  organization: 'acme',
  team: 'checkout',
  image: 'ghcr.io/acme/payments-api:1.4.2',
  replicas: 3,
  resources: { cpuMillicores: 500, memoryMiB: 1024, gpus: 0 },
};

/** Each scenario has a committed fixture, `__fixtures__/<name>.yaml`, compared exactly. */
const scenarios: Record<string, WorkloadManifestsInput> = {
  'workload-deployment': baseInput,
  'gpu-workload-deployment': {
    ...baseInput,
    name: 'trainer',
    namespace: 'vision-training-prod',
    resourceId: 'dep-7',
    team: 'vision',
    image: `registry.example.com/vision/trainer@sha256:${'a'.repeat(64)}`,
    replicas: 2,
    resources: {
      cpuMillicores: 8000,
      memoryMiB: 65536,
      gpus: 2,
      gpuType: 'nvidia-a100',
    },
    extraLabels: { 'cost-center': 'ML platform #42', 'paasport.io/team': 'x' },
  },
  'writable-root-workload-deployment': {
    ...baseInput,
    name: 'legacy-app',
    resourceId: 'dep-8',
    image: 'registry.example.com/acme/legacy-app:7.0',
    replicas: 1,
    writableRootFilesystem: true,
  },
};

const fixturePath = (name: string) =>
  path.join(__dirname, '__fixtures__', `${name}.yaml`);

type PodSpec = {
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
  volumes?: Array<Record<string, unknown>>;
  securityContext?: {
    runAsNonRoot?: boolean;
    runAsUser?: number;
    seccompProfile?: { type: string };
  };
  containers: Array<{
    name: string;
    ports?: Array<{ hostPort?: number }>;
    securityContext?: {
      privileged?: boolean;
      allowPrivilegeEscalation?: boolean;
      runAsNonRoot?: boolean;
      runAsUser?: number;
      seccompProfile?: { type: string };
      capabilities?: { add?: string[]; drop?: string[] };
    };
  }>;
};

/** What the Pod Security `restricted` level refuses in a pod spec (its checks for pods). */
function restrictedViolations(pod: PodSpec): string[] {
  const found: string[] = [];
  if (pod.hostNetwork || pod.hostPID || pod.hostIPC) {
    found.push('host namespaces');
  }
  if (pod.volumes?.some(volume => 'hostPath' in volume)) {
    found.push('hostPath volumes');
  }
  const seccompOk = (type?: string) =>
    type === 'RuntimeDefault' || type === 'Localhost';
  for (const container of pod.containers) {
    const context = container.securityContext ?? {};
    const where = `container ${container.name}`;
    if (context.privileged) found.push(`${where}: privileged`);
    if (context.allowPrivilegeEscalation !== false) {
      found.push(`${where}: allowPrivilegeEscalation is not false`);
    }
    if (!context.capabilities?.drop?.includes('ALL')) {
      found.push(`${where}: capabilities do not drop ALL`);
    }
    if ((context.capabilities?.add ?? []).some(c => c !== 'NET_BIND_SERVICE')) {
      found.push(`${where}: adds capabilities`);
    }
    const nonRoot = context.runAsNonRoot ?? pod.securityContext?.runAsNonRoot;
    if (nonRoot !== true) found.push(`${where}: runAsNonRoot is not true`);
    if ((context.runAsUser ?? pod.securityContext?.runAsUser) === 0) {
      found.push(`${where}: runs as user 0`);
    }
    const seccomp =
      context.seccompProfile?.type ?? pod.securityContext?.seccompProfile?.type;
    if (!seccompOk(seccomp)) found.push(`${where}: no seccomp profile`);
    if (container.ports?.some(port => port.hostPort)) {
      found.push(`${where}: hostPort`);
    }
  }
  return found;
}

async function buildDeployment(input: WorkloadManifestsInput) {
  const manifests = await buildWorkloadManifests(input);
  expect(manifests).toHaveLength(1);
  return manifests[0] as any;
}

describe('buildWorkloadManifests', () => {
  describe.each(Object.entries(scenarios))(
    'golden manifests: %s',
    (name, input) => {
      it('matches the committed fixture exactly', async () => {
        const yaml = manifestsToYaml(await buildWorkloadManifests(input));
        // Only on request, after a deliberate change: review the diff before committing it.
        if (process.env.UPDATE_GOLDEN_MANIFESTS === 'true') {
          fs.writeFileSync(fixturePath(name), yaml);
        }
        expect(yaml).toBe(fs.readFileSync(fixturePath(name), 'utf8'));
      });

      it('is a valid apps/v1 Deployment whose pods pass Pod Security restricted', () => {
        const documents = parseYamlDocuments(
          fs.readFileSync(fixturePath(name), 'utf8'),
        ) as any[];
        expect(documents).toHaveLength(1);
        const { apiVersion, kind, ...data } = documents[0];
        expect([apiVersion, kind]).toEqual(['apps/v1', 'Deployment']);
        new Deployment(data).validate();
        expect(restrictedViolations(data.spec.template.spec)).toEqual([]);
      });

      it('has a read-only root filesystem exactly when the workload does not opt out', () => {
        const [deployment] = parseYamlDocuments(
          fs.readFileSync(fixturePath(name), 'utf8'),
        ) as any[];
        const [container] = deployment.spec.template.spec.containers;
        expect(container.securityContext.readOnlyRootFilesystem).toBe(
          !input.writableRootFilesystem,
        );
      });
    },
  );

  it('finds what Pod Security restricted refuses, so that the check above means something', async () => {
    const deployment = await buildDeployment(baseInput);
    const pod = deployment.spec.template.spec;
    delete pod.securityContext.runAsNonRoot;
    pod.containers[0].securityContext.allowPrivilegeEscalation = true;
    pod.containers[0].securityContext.capabilities = { add: ['SYS_ADMIN'] };

    expect(restrictedViolations(pod)).toEqual([
      'container payments-api: allowPrivilegeEscalation is not false',
      'container payments-api: capabilities do not drop ALL',
      'container payments-api: adds capabilities',
      'container payments-api: runAsNonRoot is not true',
    ]);
  });

  it('makes the root filesystem read-only, with an emptyDir at /tmp, unless the workload opts out', async () => {
    const readOnly = (await buildDeployment(baseInput)).spec.template.spec;
    expect(readOnly.containers[0].securityContext.readOnlyRootFilesystem).toBe(
      true,
    );
    expect(readOnly.containers[0].volumeMounts).toEqual([
      { name: 'tmp', mountPath: '/tmp' },
    ]);
    expect(readOnly.volumes).toEqual([{ name: 'tmp', emptyDir: {} }]);

    const writable = (
      await buildDeployment({ ...baseInput, writableRootFilesystem: true })
    ).spec.template.spec;
    expect(writable.containers[0].securityContext.readOnlyRootFilesystem).toBe(
      false,
    );
    expect(writable.containers[0]).not.toHaveProperty('volumeMounts');
    expect(writable).not.toHaveProperty('volumes');
  });

  it('runs the image with requests equal to limits, and no GPUs unless asked for', async () => {
    const deployment = await buildDeployment(baseInput);

    const [container] = deployment.spec.template.spec.containers;
    expect(container).toMatchObject({
      name: 'payments-api',
      image: 'ghcr.io/acme/payments-api:1.4.2',
    });
    expect(container.resources).toEqual({
      requests: { cpu: '500m', memory: '1Gi' },
      limits: { cpu: '500m', memory: '1Gi' },
    });
    expect(deployment.spec.replicas).toBe(3);
    expect(deployment.spec.template.spec).not.toHaveProperty('tolerations');
    expect(deployment.spec.template.spec).not.toHaveProperty('nodeSelector');
  });

  it('asks for NVIDIA GPUs, tolerates GPU nodes and selects the GPU type', async () => {
    const deployment = await buildDeployment({
      ...baseInput,
      resources: { ...baseInput.resources, gpus: 1, gpuType: 'nvidia-l4' },
    });

    const pod = deployment.spec.template.spec;
    expect(pod.containers[0].resources.limits['nvidia.com/gpu']).toBe('1');
    expect(pod.containers[0].resources.requests['nvidia.com/gpu']).toBe('1');
    expect(pod.tolerations).toEqual([
      { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
    ]);
    expect(pod.nodeSelector).toEqual({ 'paasport.io/gpu-type': 'nvidia-l4' });
  });

  it('labels the Deployment and its pods, and selects pods by name and workload only', async () => {
    const deployment = await buildDeployment({
      ...baseInput,
      extraLabels: {
        'paasport.io/resource-id': 'someone-else',
        'cost-center': 'cc-7',
      },
    });

    const expected = {
      'app.kubernetes.io/managed-by': 'paasport',
      'app.kubernetes.io/name': 'payments-api',
      'paasport.io/resource-id': baseInput.resourceId,
      'paasport.io/organization': 'acme',
      'paasport.io/team': 'checkout',
      'cost-center': 'cc-7',
    };
    expect(deployment.metadata).toEqual({
      name: 'payments-api',
      namespace: 'checkout-dev',
      labels: expected,
    });
    expect(deployment.spec.template.metadata.labels).toEqual(expected);
    expect(deployment.spec.selector).toEqual({
      matchLabels: {
        'app.kubernetes.io/name': 'payments-api',
        'paasport.io/resource-id': baseInput.resourceId,
      },
    });
  });

  it('gives the same object every time', async () => {
    expect(await buildWorkloadManifests(baseInput)).toEqual(
      await buildWorkloadManifests(baseInput),
    );
  });

  const withResources = (
    change: Partial<WorkloadManifestsInput['resources']>,
  ) => ({
    resources: { ...baseInput.resources, ...change },
  });

  it.each<[string, Partial<WorkloadManifestsInput>, RegExp]>([
    ['a name that is not a DNS label', { name: 'Payments' }, /'Payments'/],
    ['a reserved namespace', { namespace: 'kube-system' }, /reserved/],
    ['an image with a space', { image: 'acme/app :1' }, /Image 'acme\/app :1'/],
    ['negative replicas', { replicas: -1 }, /replicas must be a whole number/],
    [
      'no CPU',
      withResources({ cpuMillicores: 0 }),
      /resources\.cpuMillicores must be at least 1/,
    ],
    [
      'fractional memory',
      withResources({ memoryMiB: 1.5 }),
      /resources\.memoryMiB must be a whole number/,
    ],
    [
      'a GPU type without GPUs',
      withResources({ gpuType: 'nvidia-a100' }),
      /needs resources\.gpus above 0/,
    ],
    [
      'a GPU type that is no label value',
      withResources({ gpus: 1, gpuType: 'NVIDIA A100' }),
      /resources\.gpuType 'NVIDIA A100' must be lower-case/,
    ],
    [
      'a label under a prefix reserved for Kubernetes',
      { extraLabels: { 'pod-security.kubernetes.io/enforce': 'privileged' } },
      /reserved for Kubernetes/,
    ],
  ])('refuses %s with a clear InputError', async (_, override, message) => {
    const result = buildWorkloadManifests({ ...baseInput, ...override });
    await expect(result).rejects.toThrow(InputError);
    await expect(result).rejects.toThrow(message);
  });
});
