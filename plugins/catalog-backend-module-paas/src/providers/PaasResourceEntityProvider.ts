import {
  LoggerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import {
  KubernetesValidatorFunctions,
  ResourceEntity,
} from '@backstage/catalog-model';
import { toError } from '@backstage/errors';
import {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import { ManagedResource } from '@paasport/plugin-paas-common';
import { PaasService } from '@paasport/plugin-paas-node';
import { paasLocation } from './paasLocation';
import { toResourceEntity } from './resourceEntity';

/**
 * Publishes every Paasport managed resource that is not deleted as a Resource entity owned
 * by its team's group, and a dependency of its component when it has one.
 *
 * @public
 */
export class PaasResourceEntityProvider implements EntityProvider {
  private readonly paas: PaasService;
  private readonly logger: LoggerService;
  private readonly taskRunner: SchedulerServiceTaskRunner;
  private readonly location: string;
  private readonly appBaseUrl?: string;
  private connection?: EntityProviderConnection;

  constructor(options: {
    paas: PaasService;
    logger: LoggerService;
    /** Runs the refresh on the provider's schedule. */
    taskRunner: SchedulerServiceTaskRunner;
    /** Base URL of the Paasport backend, recorded as the entities' location. */
    baseUrl?: string;
    /** Base URL of the Backstage app (`app.baseUrl`), for the links to Paasport's pages. */
    appBaseUrl?: string;
  }) {
    this.paas = options.paas;
    this.logger = options.logger;
    this.taskRunner = options.taskRunner;
    this.location = paasLocation(options.baseUrl);
    this.appBaseUrl = options.appBaseUrl;
  }

  getProviderName(): string {
    return 'paas-resources';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    await this.taskRunner.run({
      id: `${this.getProviderName()}:refresh`,
      fn: () => this.refresh(),
    });
  }

  /** Reads every managed resource and replaces every entity this provider published before. */
  async refresh(): Promise<void> {
    if (!this.connection) {
      throw new Error(`${this.getProviderName()} is not connected yet`);
    }

    let resources: ManagedResource[];
    try {
      resources = await this.paas.listResources();
    } catch (error) {
      // An empty full mutation would delete them all; keep the last good set.
      this.logger.warn(
        'Could not read Paasport managed resources; ' +
          'the catalog keeps the resources published before',
        toError(error),
      );
      return;
    }

    const entities = resources
      .filter(resource => resource.phase !== 'deleted')
      .flatMap(resource => this.toEntities(resource));
    await this.connection.applyMutation({
      type: 'full',
      entities: entities.map(entity => ({
        entity,
        locationKey: this.getProviderName(),
      })),
    });
    this.logger.debug(
      `Published ${entities.length} of ${resources.length} Paasport managed resources`,
    );
  }

  private toEntities(resource: ManagedResource): ResourceEntity[] {
    const entity = toResourceEntity(resource, {
      location: this.location,
      appBaseUrl: this.appBaseUrl,
    });
    if (!KubernetesValidatorFunctions.isValidObjectName(entity.metadata.name)) {
      this.logger.warn(
        `Not publishing ${resource.kind} '${resource.name}' of team '${resource.team}' in ` +
          `'${resource.organization}': '${entity.metadata.name}' is not a valid entity name`,
      );
      return [];
    }
    return [entity];
  }
}
