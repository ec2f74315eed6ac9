import { Config } from '@backstage/config';
import { KubernetesClusterConnection } from './delivery';
import { isDnsLabel } from './manifests/labels';

const PEM_CERTIFICATE = '-----BEGIN CERTIFICATE-----';

function readCluster(config: Config, key: string): KubernetesClusterConnection {
  const name = config.getString('name');
  if (!isDnsLabel(name)) {
    throw new Error(
      `${key}.name must be lower-case letters, digits and dashes, as Paasport names clusters; got '${name}'`,
    );
  }
  const url = config.getString('url');
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed?.protocol !== 'https:') {
    throw new Error(
      `${key}.url must be an https:// URL of the API server, so that the token never travels in clear text; got '${url}'`,
    );
  }
  const authProvider =
    config.getOptionalString('authProvider') ?? 'serviceAccount';
  if (authProvider !== 'serviceAccount') {
    throw new Error(
      `${key}.authProvider must be 'serviceAccount', the only one Paasport supports; got '${authProvider}'`,
    );
  }
  const token = config.getOptionalString('serviceAccountToken');
  if (!token?.trim()) {
    throw new Error(
      `${key}.serviceAccountToken is required: the token of the service account Paasport acts as`,
    );
  }
  const caData = config.getOptionalString('caData');
  if (
    caData !== undefined &&
    !Buffer.from(caData, 'base64').toString('utf8').includes(PEM_CERTIFICATE)
  ) {
    throw new Error(
      `${key}.caData must be base64-encoded PEM certificates, as certificate-authority-data in a kubeconfig`,
    );
  }
  return {
    name,
    url,
    serviceAccountToken: token.trim(),
    caData,
    skipTLSVerify: config.getOptionalBoolean('skipTLSVerify') ?? false,
  };
}

/**
 * Reads `<prefix>.clusters`: the API servers direct delivery applies to, with the field
 * names of Backstage's Kubernetes plugin. Throws an error naming the key for an invalid or
 * repeated entry; messages never contain a token.
 */
export function readClusterConnections(
  config: Config | undefined,
  prefix: string,
): KubernetesClusterConnection[] {
  const entries = config?.getOptionalConfigArray('clusters') ?? [];
  const clusters = entries.map((entry, index) =>
    readCluster(entry, `${prefix}.clusters[${index}]`),
  );
  const seen = new Set<string>();
  for (const [index, cluster] of clusters.entries()) {
    if (seen.has(cluster.name)) {
      throw new Error(
        `${prefix}.clusters[${index}].name '${cluster.name}' appears more than once`,
      );
    }
    seen.add(cluster.name);
  }
  return clusters;
}
