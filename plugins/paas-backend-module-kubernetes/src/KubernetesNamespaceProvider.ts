import { isDeepStrictEqual } from 'node:util';
import { InputError } from '@backstage/errors';
import {
  kubernetesNamespaceSpecSchema,
  ResourceCondition,
  ResourceKind,
  ResourceSpec,
} from '@paasport/plugin-paas-common';
import {
  DesiredResource,
  ObservedResource,
  PaasResourceProvider,
} from '@paasport/plugin-paas-node';
import { DeliveredManifests, ManifestSink, ManifestTarget } from './delivery';
import { keyOf } from './delivery/ownership';
import {
  buildNamespaceManifests,
  ContainerDefaults,
  KubernetesManifest,
  NamespaceQuota,
} from './manifests';

const KIND = 'kubernetes:namespace';

type NamespaceSpec = ResourceSpec<typeof KIND>;

/** Options of {@link KubernetesNamespaceProvider}. @public */
export interface KubernetesNamespaceProviderOptions {
  /** Where the manifests go. */
  sink: ManifestSink;
  /** The quota of a namespace; the configured defaults until teams have their own. */
  quotaFor(resource: DesiredResource): Promise<NamespaceQuota>;
  containerDefaults: ContainerDefaults;
  /** Pinned Pod Security Standards version, such as `v1.33`. */
  podSecurityVersion: string;
  /** Cluster of namespaces whose spec names none. */
  defaultCluster?: string;
  /** Prefix of Kubernetes group names, such as `oidc:`; none by default. */
  groupPrefix?: string;
}

/** What differs between the manifests the spec asks for and those delivered. */
function describeDrift(
  desired: readonly KubernetesManifest[],
  delivered: readonly KubernetesManifest[],
): string[] {
  const found = new Map(delivered.map(m => [keyOf(m), m]));
  const drift: string[] = [];
  for (const manifest of desired) {
    const key = keyOf(manifest);
    const current = found.get(key);
    if (!current) {
      drift.push(`${key} is missing`);
    } else if (!isDeepStrictEqual(current, manifest)) {
      drift.push(`${key} differs`);
    }
    found.delete(key);
  }
  for (const key of found.keys()) {
    drift.push(`${key} is not in the spec`);
  }
  return drift;
}

/**
 * Provides `kubernetes:namespace`: a team namespace with quota, container defaults,
 * default-deny network policies and the team's `edit` binding, delivered through a
 * {@link ManifestSink}.
 * @public
 */
export class KubernetesNamespaceProvider implements PaasResourceProvider {
  readonly id = 'kubernetes';
  readonly kinds: readonly ResourceKind[] = [KIND];

  constructor(private readonly options: KubernetesNamespaceProviderOptions) {}

  async observe(
    resource: DesiredResource,
  ): Promise<ObservedResource | undefined> {
    const { spec, target } = this.parse(resource);
    const desired = await this.manifestsFor(resource, spec, target);
    const delivered = await this.options.sink.observe(target, desired);
    if (!delivered) {
      return undefined;
    }
    return this.toObserved(
      target,
      delivered,
      describeDrift(desired, delivered.manifests),
    );
  }

  async apply(resource: DesiredResource): Promise<ObservedResource> {
    const { spec, target } = this.parse(resource);
    const desired = await this.manifestsFor(resource, spec, target);
    const delivered = await this.options.sink.apply(target, desired);
    return this.toObserved(target, delivered, []);
  }

  async delete(resource: DesiredResource): Promise<void> {
    const { target } = this.parse(resource);
    await this.options.sink.remove(target);
  }

  private parse(resource: DesiredResource): {
    spec: NamespaceSpec;
    target: ManifestTarget;
  } {
    if (resource.kind !== KIND) {
      throw new InputError(
        `The Kubernetes provider handles ${KIND}, not ${resource.kind}`,
      );
    }
    const parsed = kubernetesNamespaceSpecSchema.safeParse(resource.spec);
    if (!parsed.success) {
      const issues = parsed.error.issues
        .map(issue => `${issue.path.join('.') || 'spec'}: ${issue.message}`)
        .join('; ');
      throw new InputError(
        `Invalid spec of ${KIND} ${resource.name}: ${issues}`,
      );
    }
    const cluster = parsed.data.cluster ?? this.options.defaultCluster;
    if (!cluster) {
      throw new InputError(
        `Namespace ${resource.name} names no cluster and paas.kubernetes.defaultCluster is not set`,
      );
    }
    return {
      spec: parsed.data,
      target: { resourceId: resource.id, cluster, namespace: resource.name },
    };
  }

  private async manifestsFor(
    resource: DesiredResource,
    spec: NamespaceSpec,
    target: ManifestTarget,
  ): Promise<KubernetesManifest[]> {
    return buildNamespaceManifests({
      namespace: target.namespace,
      resourceId: resource.id,
      organization: resource.organization,
      team: spec.team,
      environment: spec.environment,
      groupPrefix: this.options.groupPrefix,
      quota: await this.options.quotaFor(resource),
      containerDefaults: this.options.containerDefaults,
      podSecurityVersion: this.options.podSecurityVersion,
      extraLabels: resource.tags,
    });
  }

  private toObserved(
    target: ManifestTarget,
    delivered: DeliveredManifests,
    drift: string[],
  ): ObservedResource {
    const upToDate: ResourceCondition =
      drift.length === 0
        ? {
            type: 'UpToDate',
            status: 'True',
            reason: 'MatchesSpec',
            message: 'The delivered manifests match the spec',
          }
        : {
            type: 'UpToDate',
            status: 'False',
            reason: 'Drifted',
            message: `The delivered manifests differ from the spec: ${drift.join(
              '; ',
            )}`,
          };
    return {
      state: drift.length === 0 ? 'ready' : 'pending',
      externalId: `${target.cluster}/${target.namespace}`,
      outputs: {
        namespace: target.namespace,
        cluster: target.cluster,
        delivery: this.options.sink.id,
        ...delivered.outputs,
      },
      conditions: [...delivered.conditions, upToDate],
    };
  }
}
