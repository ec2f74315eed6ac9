import {
  LoggerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  GroupEntity,
} from '@backstage/catalog-model';
import { toError } from '@backstage/errors';
import {
  DeferredEntity,
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import {
  Organization,
  PAAS_ORGANIZATION_ANNOTATION,
} from '@paasport/plugin-paas-common';
import { PaasService } from '@paasport/plugin-paas-node';

/**
 * Publishes each Paasport organization that does not adopt an existing catalog group as a
 * Group entity of the same name.
 *
 * @public
 */
export class PaasOrganizationEntityProvider implements EntityProvider {
  private readonly paas: PaasService;
  private readonly logger: LoggerService;
  private readonly taskRunner: SchedulerServiceTaskRunner;
  private readonly location: string;
  private connection?: EntityProviderConnection;

  constructor(options: {
    paas: PaasService;
    logger: LoggerService;
    /** Runs the refresh on the provider's schedule. */
    taskRunner: SchedulerServiceTaskRunner;
    /** Base URL of the Paasport backend, recorded as the entities' location. */
    baseUrl?: string;
  }) {
    this.paas = options.paas;
    this.logger = options.logger;
    this.taskRunner = options.taskRunner;
    this.location = `paas:${options.baseUrl || 'paasport'}`;
  }

  getProviderName(): string {
    return 'paas-organizations';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    await this.taskRunner.run({
      id: `${this.getProviderName()}:refresh`,
      fn: () => this.refresh(),
    });
  }

  /** Reads the organizations and replaces every entity this provider published before. */
  async refresh(): Promise<void> {
    if (!this.connection) {
      throw new Error(`${this.getProviderName()} is not connected yet`);
    }

    let organizations: Organization[];
    try {
      organizations = await this.paas.listOrganizations();
    } catch (error) {
      // A full mutation of nothing would delete every group; keep the last good set.
      this.logger.warn(
        'Could not list Paasport organizations; the catalog keeps the groups published before',
        toError(error),
      );
      return;
    }

    const entities: DeferredEntity[] = organizations
      .filter(organization => !organization.groupRef)
      .map(organization => ({
        entity: this.toGroupEntity(organization),
        locationKey: this.getProviderName(),
      }));
    await this.connection.applyMutation({ type: 'full', entities });
    this.logger.debug(
      `Published ${entities.length} Paasport organization groups ` +
        `(${organizations.length - entities.length} adopt existing groups)`,
    );
  }

  private toGroupEntity(organization: Organization): GroupEntity {
    return {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: {
        name: organization.name,
        namespace: 'default',
        title: organization.title,
        ...(organization.description
          ? { description: organization.description }
          : {}),
        annotations: {
          [ANNOTATION_LOCATION]: this.location,
          [ANNOTATION_ORIGIN_LOCATION]: this.location,
          [PAAS_ORGANIZATION_ANNOTATION]: organization.name,
        },
      },
      spec: {
        type: 'organization',
        profile: { displayName: organization.title },
        children: [],
      },
    };
  }
}
