import fs from 'node:fs';
import path from 'node:path';
import { Config } from '@backstage/config';
import { readClusterConnections } from './clusterConfig';
import { KubernetesClusterConnection } from './delivery';
import { ContainerDefaults, NamespaceQuota } from './manifests';
import { isDnsLabel } from './manifests/labels';
import {
  assertContainerDefaults,
  assertNamespaceQuota,
  assertPodSecurityVersion,
} from './manifests/namespaceManifests';

/** The module's settings, read from `paas.kubernetes` with defaults filled in. */
export interface KubernetesModuleOptions {
  delivery: 'gitops' | 'direct';
  /** Absolute path of the GitOps repository's working tree. */
  gitopsDirectory: string;
  /** The API servers of `direct` delivery. */
  clusters: KubernetesClusterConnection[];
  defaultCluster?: string;
  podSecurityVersion: string;
  groupPrefix: string;
  quota: NamespaceQuota;
  containerDefaults: ContainerDefaults;
}

const PREFIX = 'paas.kubernetes';

const DEFAULT_QUOTA: NamespaceQuota = {
  requestsCpu: '4',
  requestsMemory: '8Gi',
  limitsCpu: '8',
  limitsMemory: '16Gi',
  pods: 50,
  gpus: 0,
};

const DEFAULT_CONTAINER_DEFAULTS: ContainerDefaults = {
  defaultRequest: { cpu: '100m', memory: '128Mi' },
  defaultLimit: { cpu: '500m', memory: '512Mi' },
};

/**
 * The root of the Backstage repository the backend runs in: the nearest folder, from
 * `start` upwards, whose package.json declares workspaces. `start` itself when there is
 * none (a backend bundled on its own).
 */
export function findRepositoryRoot(start: string): string {
  let current = path.resolve(start);
  for (;;) {
    try {
      const pkg = JSON.parse(
        fs.readFileSync(path.join(current, 'package.json'), 'utf8'),
      );
      if (pkg.workspaces) {
        return current;
      }
    } catch {
      // no readable package.json here; keep looking upwards
    }
    const parent = path.dirname(current);
    if (parent === current) {
      return path.resolve(start);
    }
    current = parent;
  }
}

function readQuantity(config: Config, key: string, fallback: string): string {
  const value = config.getOptional(key);
  if (value === undefined) {
    return fallback;
  }
  if (typeof value === 'number' || typeof value === 'string') {
    return String(value);
  }
  throw new Error(
    `${PREFIX}.${key} must be a Kubernetes quantity such as 500m or 8Gi`,
  );
}

/**
 * Reads and checks `paas.kubernetes`. Throws an error naming the key when a value is
 * invalid, so a bad setting stops the backend at start rather than failing every apply.
 */
export function readKubernetesModuleConfig(
  rootConfig: Config,
  cwd: string = process.cwd(),
): KubernetesModuleOptions {
  const config = rootConfig.getOptionalConfig(PREFIX);

  const get = {
    string: (key: string) => config?.getOptionalString(key),
    number: (key: string) => config?.getOptionalNumber(key),
    quantity: (key: string, fallback: string) =>
      config ? readQuantity(config, key, fallback) : fallback,
  };

  const delivery = get.string('delivery') ?? 'gitops';
  if (delivery !== 'gitops' && delivery !== 'direct') {
    throw new Error(
      `${PREFIX}.delivery must be 'gitops' or 'direct'; got '${delivery}'`,
    );
  }

  const defaultCluster = get.string('defaultCluster');
  if (defaultCluster !== undefined && !isDnsLabel(defaultCluster)) {
    throw new Error(
      `${PREFIX}.defaultCluster must be lower-case letters, digits and dashes; got '${defaultCluster}'`,
    );
  }

  const clusters = readClusterConnections(config, PREFIX);
  if (delivery === 'direct') {
    if (clusters.length === 0) {
      throw new Error(
        `${PREFIX}.clusters must list at least one cluster when ${PREFIX}.delivery is 'direct'`,
      );
    }
    if (defaultCluster && !clusters.some(c => c.name === defaultCluster)) {
      throw new Error(
        `${PREFIX}.defaultCluster '${defaultCluster}' is not one of ${PREFIX}.clusters`,
      );
    }
  }

  const podSecurityVersion = get.string('podSecurityVersion') ?? 'v1.33';
  assertPodSecurityVersion(podSecurityVersion, `${PREFIX}.podSecurityVersion`);

  const quotaKey = 'namespaceDefaults.quota';
  const quota: NamespaceQuota = {
    requestsCpu: get.quantity(
      `${quotaKey}.requestsCpu`,
      DEFAULT_QUOTA.requestsCpu,
    ),
    requestsMemory: get.quantity(
      `${quotaKey}.requestsMemory`,
      DEFAULT_QUOTA.requestsMemory,
    ),
    limitsCpu: get.quantity(`${quotaKey}.limitsCpu`, DEFAULT_QUOTA.limitsCpu),
    limitsMemory: get.quantity(
      `${quotaKey}.limitsMemory`,
      DEFAULT_QUOTA.limitsMemory,
    ),
    pods: get.number(`${quotaKey}.pods`) ?? DEFAULT_QUOTA.pods,
    gpus: get.number(`${quotaKey}.gpus`) ?? DEFAULT_QUOTA.gpus,
  };
  assertNamespaceQuota(quota, `${PREFIX}.${quotaKey}`);

  const limitsKey = 'namespaceDefaults.containerDefaults';
  const fallback = DEFAULT_CONTAINER_DEFAULTS;
  const containerDefaults: ContainerDefaults = {
    defaultRequest: {
      cpu: get.quantity(
        `${limitsKey}.defaultRequest.cpu`,
        fallback.defaultRequest.cpu,
      ),
      memory: get.quantity(
        `${limitsKey}.defaultRequest.memory`,
        fallback.defaultRequest.memory,
      ),
    },
    defaultLimit: {
      cpu: get.quantity(
        `${limitsKey}.defaultLimit.cpu`,
        fallback.defaultLimit.cpu,
      ),
      memory: get.quantity(
        `${limitsKey}.defaultLimit.memory`,
        fallback.defaultLimit.memory,
      ),
    },
  };
  assertContainerDefaults(containerDefaults, `${PREFIX}.${limitsKey}`);

  const directory = get.string('gitops.directory') ?? 'data/gitops';
  return {
    delivery,
    gitopsDirectory: path.resolve(findRepositoryRoot(cwd), directory),
    clusters,
    defaultCluster,
    podSecurityVersion,
    groupPrefix: get.string('groupPrefix') ?? '',
    quota,
    containerDefaults,
  };
}
