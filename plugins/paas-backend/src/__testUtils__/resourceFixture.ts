import { mockServices } from '@backstage/backend-test-utils';
import { ConflictError } from '@backstage/errors';
import {
  externalResourceName,
  ResourceKind,
} from '@paasport/plugin-paas-common';
import {
  DesiredResource,
  ObservedResource,
  PaasResourceProvider,
} from '@paasport/plugin-paas-node';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { DatabaseClusterStore } from '../database/ClusterStore';
import { applyDatabaseMigrations } from '../database/migrations';
import { DatabaseOrganizationStore } from '../database/OrganizationStore';
import { DatabaseQuotaStore } from '../database/QuotaStore';
import {
  DatabaseResourceStore,
  resourceSubject,
} from '../database/ResourceStore';
import { DatabaseTeamStore } from '../database/TeamStore';

const ADMIN = 'user:default/admin';

/** One object in the fake cloud: its name, the tags it carries and what it was made from. */
export interface CloudObject {
  name: string;
  tags: Record<string, string>;
  spec: unknown;
}

/**
 * A provider over an in-memory "cloud" that behaves as the real providers promise: objects
 * are keyed by their deterministic name, an object with our id tag is adopted, one without
 * is refused. Tests script failures and hangs per call.
 */
export class FakeCloudProvider implements PaasResourceProvider {
  readonly id = 'fake';
  readonly objects = new Map<string, CloudObject>();
  readonly calls: Array<{ method: string; name: string }> = [];
  /** Run before each apply, after the object is written when `afterCreate` is set. */
  onApply?: (resource: DesiredResource) => Promise<void> | void;
  /** How apply reports a fresh object: `pending` first, like a database being created. */
  pendingApplies = 0;
  /** The provider's check of a request, when a test gives it one. */
  validate?: (resource: DesiredResource) => void;

  constructor(readonly kinds: readonly ResourceKind[] = ['aws:s3-bucket']) {}

  async observe(
    resource: DesiredResource,
  ): Promise<ObservedResource | undefined> {
    this.calls.push({ method: 'observe', name: resource.name });
    const found = this.objects.get(resource.name);
    return found ? this.observed(resource) : undefined;
  }

  async apply(resource: DesiredResource): Promise<ObservedResource> {
    this.calls.push({ method: 'apply', name: resource.name });
    const found = this.objects.get(resource.name);
    if (found && found.tags['paasport.io/resource-id'] !== resource.id) {
      throw new ConflictError(
        `${resource.name} exists and is not Paasport's resource ${resource.id}`,
      );
    }
    this.objects.set(resource.name, {
      name: resource.name,
      tags: { ...resource.tags, 'paasport.io/resource-id': resource.id },
      spec: resource.spec,
    });
    await this.onApply?.(resource);
    if (this.pendingApplies > 0) {
      this.pendingApplies--;
      return { state: 'pending', externalId: `fake:${resource.name}` };
    }
    return this.observed(resource);
  }

  async delete(resource: DesiredResource): Promise<void> {
    this.calls.push({ method: 'delete', name: resource.name });
    const found = this.objects.get(resource.name);
    if (found && found.tags['paasport.io/resource-id'] !== resource.id) {
      throw new ConflictError(`${resource.name} is not ours to delete`);
    }
    this.objects.delete(resource.name);
  }

  private observed(resource: DesiredResource): ObservedResource {
    return {
      state: 'ready',
      externalId: `fake:${resource.name}`,
      outputs: {
        name: resource.name,
        link: `https://cloud.example/${resource.name}`,
      },
      conditions: [{ type: 'Encrypted', status: 'True', reason: 'Applied' }],
    };
  }
}

/** Real resource, quota and organization stores on a migrated database. */
export async function createResourceFixture(knex: Knex) {
  const db = await applyDatabaseMigrations(
    mockServices.database({ knex, migrations: { skip: false } }),
  );
  const organizations = new DatabaseOrganizationStore(db);
  const teams = new DatabaseTeamStore(db);
  const quotas = new DatabaseQuotaStore(db);
  const resources = new DatabaseResourceStore(db, quotas);
  const clusters = new DatabaseClusterStore(db);

  return {
    db,
    clusters,
    organizations,
    teams,
    quotas,
    resources,

    /** An organization with teams and a quota of `buckets` S3 buckets. */
    async organization(name: string, buckets: number, teamNames = ['web']) {
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
        'count/aws:s3-bucket',
        buckets,
        ADMIN,
      );
    },

    /** Accepts a bucket as the service does: the row, its event and its quota in one go. */
    async request(r: {
      organization: string;
      name: string;
      team?: string;
      idempotencyKey?: string;
      requestedBy?: string;
      deletionPolicy?: 'delete' | 'orphan' | 'protect';
      at?: Date;
    }) {
      const id = randomUUID();
      const team = r.team ?? 'web';
      return resources.create(
        {
          id,
          organization: r.organization,
          team,
          kind: 'aws:s3-bucket',
          name: r.name,
          externalName: externalResourceName(
            'aws:s3-bucket',
            r.organization,
            team,
            r.name,
          ),
          spec: { versioning: false },
          phase: 'provisioning',
          deletionPolicy: r.deletionPolicy ?? 'delete',
          monthlyCost: 5,
          idempotencyKey: r.idempotencyKey,
          requestedBy: r.requestedBy ?? ADMIN,
          now: r.at ?? new Date(),
        },
        { type: 'requested', message: 'Requested' },
        tx =>
          quotas.reserve(tx, {
            organization: r.organization,
            team,
            subject: resourceSubject(id),
            amounts: { 'count/aws:s3-bucket': 1 },
          }),
      );
    },

    /** What the organization's bucket quota says is used. */
    async bucketsUsed(organization: string) {
      const { lines } = await quotas.get(organization);
      return lines.find(l => l.dimension === 'count/aws:s3-bucket')?.used;
    },
  };
}
