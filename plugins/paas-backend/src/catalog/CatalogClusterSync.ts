import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { isError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { Cluster, ClusterResources } from '@paasport/plugin-paas-common';
import { ClusterChange, ClusterStore } from '../database/ClusterStore';
import {
  CLUSTER_ENTITY_FIELDS,
  CLUSTER_ENTITY_FILTER,
  ClusterDescription,
  parseClusterEntity,
} from './clusterEntity';

/** What one sync did: cluster names, and the refs of the entities it could not follow. */
export interface CatalogClusterSyncReport {
  registered: string[];
  updated: string[];
  cordoned: string[];
  /** Entities that are invalid, clash with another cluster, or were only partly applied. */
  skipped: string[];
}

type Described = { entityRef: string; cluster: ClusterDescription };

const DIMENSIONS: (keyof ClusterResources)[] = [
  'cpuMillicores',
  'memoryMib',
  'gpus',
];

/**
 * Keeps the clusters registered from the catalog in step with the catalog's
 * `kubernetes-cluster` Resource entities.
 *
 * The catalog is the source of truth for clusters it registered (source `catalog`); clusters
 * registered through the API are never touched. A cluster whose entity disappeared is
 * cordoned, not removed, because deployments may still run on it.
 */
export class CatalogClusterSync {
  constructor(
    private readonly options: {
      catalog: CatalogService;
      auth: AuthService;
      clusters: ClusterStore;
      logger: LoggerService;
      /** Called after capacity or state changed, such as to let the scheduler place what now fits. */
      onChange?: () => void;
    },
  ) {}

  /** Reads the catalog once and applies it; one bad entity or cluster never fails the rest. */
  async run(): Promise<CatalogClusterSyncReport> {
    const report: CatalogClusterSyncReport = {
      registered: [],
      updated: [],
      cordoned: [],
      skipped: [],
    };
    const entities = await this.readEntities();
    const existing = new Map(
      (await this.options.clusters.list()).map(c => [c.name, c]),
    );

    const described = this.describe(entities, existing, report);
    for (const { entityRef, cluster } of described.values()) {
      await this.guarded(entityRef, report, () =>
        this.apply(entityRef, cluster, existing.get(cluster.name), report),
      );
    }

    // Any entity of the name keeps its cluster, even an invalid one: a typo is no reason to cordon.
    const named = new Set(entities.map(e => e.metadata.name.toLowerCase()));
    for (const cluster of existing.values()) {
      if (
        cluster.source === 'catalog' &&
        cluster.state === 'ready' &&
        !named.has(cluster.name)
      ) {
        await this.guarded(cluster.createdBy, report, () =>
          this.cordon(cluster, report),
        );
      }
    }

    const { registered, updated, cordoned, skipped } = report;
    if (registered.length || updated.length || cordoned.length) {
      this.options.logger.info(
        `Catalog cluster sync: ${registered.length} registered, ${updated.length} updated, ` +
          `${cordoned.length} cordoned, ${skipped.length} skipped`,
        { registered, updated, cordoned, skipped },
      );
      this.options.onChange?.();
    }
    return report;
  }

  private async readEntities(): Promise<Entity[]> {
    const { catalog, auth } = this.options;
    const credentials = await auth.getOwnServiceCredentials();
    const entities: Entity[] = [];
    for await (const page of catalog.streamEntities(
      { filter: CLUSTER_ENTITY_FILTER, fields: CLUSTER_ENTITY_FIELDS },
      { credentials },
    )) {
      entities.push(...page);
    }
    return entities;
  }

  /** The valid entities by cluster name; one per name. */
  private describe(
    entities: Entity[],
    existing: Map<string, Cluster>,
    report: CatalogClusterSyncReport,
  ): Map<string, Described> {
    const { logger } = this.options;
    const described = new Map<string, Described>();
    for (const entity of entities) {
      const entityRef = stringifyEntityRef(entity);
      const parsed = parseClusterEntity(entity);
      if (!parsed.success) {
        logger.warn(
          `Skipped cluster entity ${entityRef}: ${parsed.problems.join('; ')}`,
          { entityRef, problems: parsed.problems },
        );
        report.skipped.push(entityRef);
        continue;
      }
      const { name } = parsed.cluster;
      const other = described.get(name);
      if (other) {
        // Entities in two namespaces may share a name; the one that registered the cluster wins.
        const [kept, dropped] =
          existing.get(name)?.createdBy === entityRef
            ? [{ entityRef, cluster: parsed.cluster }, other]
            : [other, { entityRef, cluster: parsed.cluster }];
        described.set(name, kept);
        logger.warn(
          `Skipped cluster entity ${dropped.entityRef}: cluster '${name}' is already described by ${kept.entityRef}`,
          { entityRef: dropped.entityRef, cluster: name },
        );
        report.skipped.push(dropped.entityRef);
        continue;
      }
      described.set(name, { entityRef, cluster: parsed.cluster });
    }
    return described;
  }

  private async apply(
    entityRef: string,
    cluster: ClusterDescription,
    current: Cluster | undefined,
    report: CatalogClusterSyncReport,
  ) {
    const { clusters, logger } = this.options;
    if (!current) {
      await clusters.register({
        ...cluster,
        source: 'catalog',
        createdBy: entityRef,
      });
      report.registered.push(cluster.name);
      return;
    }
    if (current.source !== 'catalog') {
      logger.warn(
        `Skipped cluster entity ${entityRef}: cluster '${cluster.name}' was registered through the API`,
        { entityRef, cluster: cluster.name },
      );
      report.skipped.push(entityRef);
      return;
    }
    const change = changeTowards(current, cluster);
    if (!change) {
      return;
    }
    try {
      await clusters.update(cluster.name, change);
      report.updated.push(cluster.name);
    } catch (error) {
      if (!isConflict(error) || !change.capacity) {
        throw error;
      }
      logger.warn(
        `Kept capacity of cluster '${cluster.name}' that ${entityRef} lowers below what is allocated: ${error.message}`,
        { entityRef, cluster: cluster.name },
      );
      report.skipped.push(entityRef);
      await this.applyWhatFits(cluster.name, change, report);
    }
  }

  /** Applies a change without the capacity dimensions that would drop below what is allocated. */
  private async applyWhatFits(
    name: string,
    change: ClusterChange,
    report: CatalogClusterSyncReport,
  ) {
    const { clusters } = this.options;
    const current = await clusters.get(name);
    if (!current) {
      return;
    }
    const capacity: Partial<ClusterResources> = {};
    for (const dimension of DIMENSIONS) {
      const asked = change.capacity?.[dimension];
      if (
        asked !== undefined &&
        asked >= current.allocated[dimension] &&
        asked !== current.capacity[dimension]
      ) {
        capacity[dimension] = asked;
      }
    }
    const rest: ClusterChange = { ...change, capacity };
    if (Object.keys(capacity).length === 0) {
      delete rest.capacity;
    }
    if (Object.keys(rest).length > 0) {
      await clusters.update(name, rest);
      report.updated.push(name);
    }
  }

  private async cordon(cluster: Cluster, report: CatalogClusterSyncReport) {
    await this.options.clusters.update(cluster.name, { state: 'cordoned' });
    this.options.logger.info(
      `Cordoned cluster '${cluster.name}': its entity ${cluster.createdBy} is no longer in the catalog`,
      { cluster: cluster.name, entityRef: cluster.createdBy },
    );
    report.cordoned.push(cluster.name);
  }

  /** Runs the work for one entity; a failure is logged and the entity reported as skipped. */
  private async guarded(
    entityRef: string,
    report: CatalogClusterSyncReport,
    work: () => Promise<void>,
  ) {
    try {
      await work();
    } catch (error) {
      this.options.logger.warn(
        `Could not apply cluster entity ${entityRef}: ${
          isError(error) ? error.message : String(error)
        }`,
        { entityRef },
      );
      if (!report.skipped.includes(entityRef)) {
        report.skipped.push(entityRef);
      }
    }
  }
}

function isConflict(error: unknown): error is Error {
  return isError(error) && error.name === 'ConflictError';
}

/** What would make the cluster match its entity; undefined when it already does. */
function changeTowards(
  current: Cluster,
  wanted: ClusterDescription,
): ClusterChange | undefined {
  const change: ClusterChange = {};
  if (current.title !== wanted.title) {
    change.title = wanted.title;
  }
  const capacity: Partial<ClusterResources> = {};
  for (const dimension of DIMENSIONS) {
    if (current.capacity[dimension] !== wanted.capacity[dimension]) {
      capacity[dimension] = wanted.capacity[dimension];
    }
  }
  if (Object.keys(capacity).length > 0) {
    change.capacity = capacity;
  }
  if ((current.gpuType ?? null) !== (wanted.gpuType ?? null)) {
    change.gpuType = wanted.gpuType ?? null;
  }
  if (!sameLabels(current.labels, wanted.labels)) {
    change.labels = wanted.labels;
  }
  // The platform team cordons and readies clusters through the API; an entity can take its
  // cluster out of service, but its `ready` never undoes their cordon.
  if (wanted.state !== 'ready' && current.state !== wanted.state) {
    change.state = wanted.state;
  }
  return Object.keys(change).length > 0 ? change : undefined;
}

function sameLabels(a: Record<string, string>, b: Record<string, string>) {
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length &&
    keys.every(key => a[key] === b[key])
  );
}
