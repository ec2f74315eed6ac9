import { mockServices } from '@backstage/backend-test-utils';
import { ClusterResources } from '@paasport/plugin-paas-common';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { DatabaseClusterStore } from '../database/ClusterStore';
import { DatabaseDeploymentStore } from '../database/DeploymentStore';
import { applyDatabaseMigrations } from '../database/migrations';
import { DatabaseOrganizationStore } from '../database/OrganizationStore';
import { DatabaseQuotaStore } from '../database/QuotaStore';
import { DatabaseTeamStore } from '../database/TeamStore';
import { DEFAULT_SCHEDULER_POLICY, SchedulerPolicy } from '../scheduler/config';
import { DeploymentScheduler } from '../scheduler/DeploymentScheduler';

const ADMIN = 'user:default/admin';

/** What a test deployment asks for; everything but organization and name has a default. */
export interface TestDeployment {
  organization: string;
  name: string;
  team?: string;
  replicas?: number;
  cpu?: number;
  memory?: number;
  gpus?: number;
  gpuType?: string;
  priority?: number;
  placement?: Record<string, string>;
  writableRootFilesystem?: boolean;
  /** When it queued; the fixture's clock by default. */
  at?: Date;
  /** Who submitted it; the organization's admin by default. */
  createdBy?: string;
}

/**
 * Real stores and a scheduler on a migrated database, with helpers that set up
 * organizations with quotas, clusters and queued deployments.
 */
export async function createSchedulingFixture(
  knex: Knex,
  options: { policy?: Partial<SchedulerPolicy>; now?: () => Date } = {},
) {
  const db = await applyDatabaseMigrations(
    mockServices.database({ knex, migrations: { skip: false } }),
  );
  const organizations = new DatabaseOrganizationStore(db);
  const teams = new DatabaseTeamStore(db);
  const quotas = new DatabaseQuotaStore(db);
  const clusters = new DatabaseClusterStore(db);
  const deployments = new DatabaseDeploymentStore(db, quotas, clusters);
  let clock = options.now ?? (() => new Date());
  const logger = mockServices.logger.mock();
  const policy: SchedulerPolicy = {
    ...DEFAULT_SCHEDULER_POLICY,
    ...options.policy,
  };
  const scheduler = new DeploymentScheduler({
    deployments,
    clusters,
    quotas,
    policy,
    logger,
    clock: () => clock(),
  });

  return {
    db,
    organizations,
    teams,
    quotas,
    clusters,
    deployments,
    scheduler,
    policy,
    logger,
    setClock(next: () => Date) {
      clock = next;
    },

    /** An organization with teams and organization quotas (cpu, memory and optionally GPUs). */
    async organization(
      name: string,
      limits: { cpu: number; memory: number; gpus?: number },
      teamNames: string[] = ['web'],
    ) {
      await organizations.create({ name, title: name, createdBy: ADMIN });
      for (const team of teamNames) {
        await teams.create({
          organization: name,
          name: team,
          title: team,
          createdBy: ADMIN,
        });
      }
      await quotas.setOrganizationLimit(
        name,
        'cpu-millicores',
        limits.cpu,
        ADMIN,
      );
      await quotas.setOrganizationLimit(
        name,
        'memory-mib',
        limits.memory,
        ADMIN,
      );
      if (limits.gpus !== undefined) {
        await quotas.setOrganizationLimit(name, 'gpus', limits.gpus, ADMIN);
      }
    },

    async cluster(
      name: string,
      capacity: Partial<ClusterResources> & {
        cpuMillicores: number;
        memoryMib: number;
      },
      extra: { labels?: Record<string, string>; gpuType?: string } = {},
    ) {
      return clusters.register({
        name,
        title: name,
        capacity: { gpus: 0, ...capacity },
        gpuType: extra.gpuType,
        labels: extra.labels ?? {},
        state: 'ready',
        source: 'api',
        createdBy: ADMIN,
      });
    },

    /** A queued deployment; returns its id. */
    async submit(d: TestDeployment): Promise<string> {
      const id = randomUUID();
      await deployments.create(
        {
          id,
          organization: d.organization,
          team: d.team ?? 'web',
          name: d.name,
          image: 'registry.example.com/app:1',
          replicas: d.replicas ?? 1,
          resources: {
            cpuMillicores: d.cpu ?? 1000,
            memoryMib: d.memory ?? 1024,
            gpus: d.gpus ?? 0,
          },
          gpuType: d.gpuType,
          priorityClass: 'test',
          priority: d.priority ?? 100,
          placement: d.placement ?? {},
          writableRootFilesystem: d.writableRootFilesystem,
          state: 'queued',
          createdBy: d.createdBy ?? ADMIN,
          now: d.at ?? clock(),
        },
        { type: 'submitted', message: 'Submitted and queued' },
      );
      return id;
    },

    async stateOf(id: string) {
      const d = await deployments.get(id);
      return d ? `${d.state}${d.cluster ? `@${d.cluster}` : ''}` : 'deleted';
    },
  };
}
