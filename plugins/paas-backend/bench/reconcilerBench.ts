/*
 * The resource reconciler benchmark: `npm run bench:reconciler`. Measures what Paasport itself
 * costs per managed resource — accepting it (row, event, quota in one transaction) and one
 * reconcile (lease, provider call, outcome) — against PostgreSQL, with a provider that answers
 * at once, so cloud latency is left out. Prints a table; asserts nothing.
 */
import { LoggerService } from '@backstage/backend-plugin-api';
import { externalResourceName } from '@paasport/plugin-paas-common';
import {
  DesiredResource,
  ObservedResource,
  PaasResourceProvider,
} from '@paasport/plugin-paas-node';
import knexFactory, { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { applyDatabaseMigrations } from '../src/database/migrations';
import { DatabaseOrganizationStore } from '../src/database/OrganizationStore';
import { DatabaseQuotaStore } from '../src/database/QuotaStore';
import {
  DatabaseResourceStore,
  resourceSubject,
} from '../src/database/ResourceStore';
import { DatabaseTeamStore } from '../src/database/TeamStore';
import { DEFAULT_RECONCILER_SETTINGS } from '../src/reconciler/config';
import { ResourceReconciler } from '../src/reconciler/ResourceReconciler';
import { ProviderRegistry } from '../src/service/ProviderRegistry';

const BASE_URL =
  process.env.PAASPORT_BENCH_DATABASE ?? 'postgresql://postgres@127.0.0.1:5432';
const RESOURCES = Number(process.env.BENCH_RESOURCES ?? 2000);
const ADMIN = 'user:default/bench';

const quietLogger: LoggerService = {
  error: message => process.stderr.write(`error: ${message}\n`),
  warn: message => process.stderr.write(`warn: ${message}\n`),
  info: () => {},
  debug: () => {},
  child: () => quietLogger,
};

/** Answers every call at once and counts applies per name. */
class InstantProvider implements PaasResourceProvider {
  readonly id = 'instant';
  readonly kinds = ['aws:s3-bucket'] as const;
  readonly applies = new Map<string, number>();

  async observe(): Promise<ObservedResource | undefined> {
    return undefined;
  }

  async apply(resource: DesiredResource): Promise<ObservedResource> {
    this.applies.set(resource.name, (this.applies.get(resource.name) ?? 0) + 1);
    return { state: 'ready', externalId: resource.name };
  }

  async delete(): Promise<void> {}
}

async function main() {
  const name = `paasport_bench_${Date.now()}`;
  const admin = knexFactory({ client: 'pg', connection: BASE_URL });
  await admin.raw(`create database ${name}`);
  const url = new URL(BASE_URL);
  url.pathname = `/${name}`;
  const knex: Knex = knexFactory({
    client: 'pg',
    connection: url.toString(),
    pool: { min: 1, max: 10 },
  });
  try {
    const db = await applyDatabaseMigrations({
      getClient: async () => knex,
      migrations: { skip: false },
    });
    const quotas = new DatabaseQuotaStore(db);
    const resources = new DatabaseResourceStore(db, quotas);
    await new DatabaseOrganizationStore(db).create({
      name: 'bench',
      title: 'Bench',
      createdBy: ADMIN,
    });
    await new DatabaseTeamStore(db).create({
      organization: 'bench',
      name: 'web',
      title: 'Web',
      createdBy: ADMIN,
    });
    await quotas.setOrganizationLimit(
      'bench',
      'count/aws:s3-bucket',
      RESOURCES * 2,
      ADMIN,
    );

    const acceptStarted = performance.now();
    for (let i = 0; i < RESOURCES; i++) {
      const id = randomUUID();
      await resources.create(
        {
          id,
          organization: 'bench',
          team: 'web',
          kind: 'aws:s3-bucket',
          name: `b${i}`,
          externalName: externalResourceName(
            'aws:s3-bucket',
            'bench',
            'web',
            `b${i}`,
          ),
          spec: {},
          phase: 'provisioning',
          deletionPolicy: 'delete',
          monthlyCost: 5,
          requestedBy: ADMIN,
          now: new Date(),
        },
        { type: 'requested', message: 'Requested' },
        tx =>
          quotas.reserve(tx, {
            organization: 'bench',
            team: 'web',
            subject: resourceSubject(id),
            amounts: { 'count/aws:s3-bucket': 1 },
          }),
      );
    }
    const acceptSeconds = (performance.now() - acceptStarted) / 1000;

    const provider = new InstantProvider();
    const registry = new ProviderRegistry();
    registry.add(provider);
    const replica = (owner: string) =>
      new ResourceReconciler({
        store: resources,
        providers: registry,
        settings: DEFAULT_RECONCILER_SETTINGS,
        logger: quietLogger,
        owner,
      });
    const reconcileStarted = performance.now();
    const [a, b] = await Promise.all([
      replica('a').runOnce(),
      replica('b').runOnce(),
    ]);
    const reconcileSeconds = (performance.now() - reconcileStarted) / 1000;

    const ready = await knex('resources')
      .where({ phase: 'ready' })
      .count({ n: '*' });
    const twice = [...provider.applies.values()].filter(n => n > 1).length;
    const pg = await knex.raw('show server_version');
    const log = (line: string) => process.stdout.write(`${line}\n`);
    log(`Paasport reconciler benchmark, ${new Date().toISOString()}`);
    log(
      `Machine: ${os.cpus().length} × ${
        os.cpus()[0]?.model ?? 'cpu'
      }, ${Math.round(os.totalmem() / 2 ** 30)} GiB; Node ${
        process.version
      }; PostgreSQL ${pg.rows[0].server_version}`,
    );
    log('');
    log('| Measure | Result |');
    log('| --- | ---: |');
    log(`| Resources | ${RESOURCES} |`);
    log(
      `| Accepted one at a time (row, event, quota) | ${(
        RESOURCES / acceptSeconds
      ).toFixed(0)}/s |`,
    );
    log(
      `| Reconciled by two replicas (lease, apply, outcome) | ${(
        RESOURCES / reconcileSeconds
      ).toFixed(0)}/s |`,
    );
    log(`| Reconciled by replica a / b | ${a} / ${b} |`);
    log(`| Ready afterwards | ${Number(ready[0].n)} |`);
    log(`| Applied more than once | ${twice} |`);
  } finally {
    await knex.destroy();
    await admin.raw(`drop database if exists ${name}`);
    await admin.destroy();
  }
}

main().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
