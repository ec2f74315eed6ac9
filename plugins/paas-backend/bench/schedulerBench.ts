/*
 * The scheduler benchmark: `npm run bench:scheduler`. Prints one table of figures measured
 * against PostgreSQL (PAASPORT_BENCH_DATABASE, default postgresql://postgres@127.0.0.1:5432)
 * in a fresh database it drops afterwards. Not a test: it asserts nothing and prints what it saw.
 */
import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { DEFAULT_CAPACITY_RATES } from '@paasport/plugin-paas-common';
import express from 'express';
import knexFactory, { Knex } from 'knex';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { DatabaseApprovalStore } from '../src/database/ApprovalStore';
import { DatabaseClusterStore } from '../src/database/ClusterStore';
import { DatabaseDeploymentStore } from '../src/database/DeploymentStore';
import { applyDatabaseMigrations } from '../src/database/migrations';
import { DatabaseOrganizationStore } from '../src/database/OrganizationStore';
import { DatabaseQuotaStore } from '../src/database/QuotaStore';
import { DatabaseTeamStore } from '../src/database/TeamStore';
import { createDeploymentsRouter } from '../src/router/deployments';
import {
  DEFAULT_SCHEDULER_POLICY,
  SchedulerPolicy,
} from '../src/scheduler/config';
import { DeploymentScheduler } from '../src/scheduler/DeploymentScheduler';
import { createApprovalService } from '../src/service/ApprovalService';
import { createDeploymentService } from '../src/service/DeploymentService';
import { OrganizationAccess } from '../src/service/OrganizationAccess';

const BASE_URL =
  process.env.PAASPORT_BENCH_DATABASE ?? 'postgresql://postgres@127.0.0.1:5432';
const ADMIN = 'user:default/bench';
const credentials = mockCredentials.user(ADMIN);

/** Everyone may do everything: the benchmark measures scheduling, not the permission backend. */
const allowAll: OrganizationAccess = {
  visibility: async () => ({ type: 'all' }),
  require: async () => {},
  requireBasic: async () => {},
};

/** Warnings and errors only, so the table stays readable. */
const quietLogger: LoggerService = {
  error: message => process.stderr.write(`error: ${message}\n`),
  warn: message => process.stderr.write(`warn: ${message}\n`),
  info: () => {},
  debug: () => {},
  child: () => quietLogger,
};

type Stack = Awaited<ReturnType<typeof createStack>>;

async function createStack(knex: Knex, policy: Partial<SchedulerPolicy> = {}) {
  const db = await applyDatabaseMigrations({
    getClient: async () => knex,
    migrations: { skip: false },
  });
  const quotas = new DatabaseQuotaStore(db);
  const clusters = new DatabaseClusterStore(db);
  const deploymentStore = new DatabaseDeploymentStore(db, quotas, clusters);
  const logger = quietLogger;
  const schedulerPolicy = { ...DEFAULT_SCHEDULER_POLICY, ...policy };
  const scheduler = new DeploymentScheduler({
    deployments: deploymentStore,
    clusters,
    quotas,
    policy: schedulerPolicy,
    logger,
  });
  const auditor: AuditorService = {
    createEvent: async () => ({
      success: async () => {},
      fail: async () => {},
    }),
  };
  const approvals = createApprovalService({
    store: new DatabaseApprovalStore(db),
    quotas,
    access: allowAll,
    auditor,
    notifications: { send: async () => {} },
    logger,
  });
  const deployments = createDeploymentService({
    deployments: deploymentStore,
    teams: new DatabaseTeamStore(db),
    clusters,
    quotas,
    access: allowAll,
    auditor,
    approvals,
    scheduler,
    policy: schedulerPolicy,
    approvalRules: [],
    rates: DEFAULT_CAPACITY_RATES,
  });
  return {
    knex,
    db,
    quotas,
    clusters,
    deploymentStore,
    scheduler,
    deployments,
    organizations: new DatabaseOrganizationStore(db),
    teams: new DatabaseTeamStore(db),
  };
}

async function organization(
  stack: Stack,
  name: string,
  cpu: number,
  memory: number,
) {
  await stack.organizations.create({ name, title: name, createdBy: ADMIN });
  await stack.teams.create({
    organization: name,
    name: 'web',
    title: 'web',
    createdBy: ADMIN,
  });
  await stack.quotas.setOrganizationLimit(name, 'cpu-millicores', cpu, ADMIN);
  await stack.quotas.setOrganizationLimit(name, 'memory-mib', memory, ADMIN);
}

async function cluster(
  stack: Stack,
  name: string,
  cpu: number,
  memory: number,
) {
  await stack.clusters.register({
    name,
    title: name,
    capacity: { cpuMillicores: cpu, memoryMib: memory, gpus: 0 },
    labels: { environment: 'bench' },
    state: 'ready',
    source: 'api',
    createdBy: ADMIN,
  });
}

function submission(name: string, units = 1, priorityClass = 'normal') {
  return {
    team: 'web',
    name,
    image: 'registry.example.com/bench/app:1',
    replicas: 1,
    resources: { cpuMillicores: 500 * units, memoryMib: 1024 * units, gpus: 0 },
    priorityClass,
    placement: { environment: 'bench' },
  };
}

function percentile(sorted: number[], p: number) {
  return sorted[
    Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))
  ];
}

/** Submits one at a time through the service and waits for each to be placed. */
async function oneAtATime(stack: Stack, count: number) {
  await organization(stack, 'serial', 1_000_000_000, 1_000_000_000);
  await cluster(stack, 'serial-1', 1_000_000_000, 1_000_000_000);
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    await stack.deployments.submit('serial', submission(`s${i}`), {
      credentials,
    });
    // The submit started a cycle; wait for it without asking for another.
    await stack.scheduler.idle();
  }
  const seconds = (performance.now() - started) / 1000;
  const placed = await stack
    .knex('deployments')
    .where({ organization: 'serial', state: 'admitted' })
    .count({ n: '*' });
  return { placed: Number(placed[0].n), seconds };
}

/** Queues `count` deployments with no room, then makes room and times one drain. */
async function drain(stack: Stack, count: number) {
  await organization(stack, 'drain', 1_000_000_000, 1_000_000_000);
  await cluster(stack, 'drain-1', 1, 1);
  const rows = Array.from({ length: count }, (_, i) => ({
    id: crypto.randomUUID(),
    organization: 'drain',
    team: 'web',
    name: `d${i}`,
    image: 'registry.example.com/bench/app:1',
    replicas: 1,
    cpu_millicores: 500,
    memory_mib: 1024,
    gpus: 0,
    priority_class: 'normal',
    priority: 100,
    placement: '{}',
    state: 'queued',
    queued_at: Date.now() + i,
    created_by: ADMIN,
  }));
  for (let i = 0; i < rows.length; i += 500) {
    await stack.knex('deployments').insert(rows.slice(i, i + 500));
  }
  await stack.clusters.update('drain-1', {
    capacity: { cpuMillicores: 500 * count, memoryMib: 1024 * count },
  });
  const started = performance.now();
  const report = await stack.scheduler.runCycle();
  const seconds = (performance.now() - started) / 1000;
  return { placed: report.admitted, seconds };
}

/** 32 clients submit through HTTP at once; latency of each POST. */
async function httpSubmits(stack: Stack, clients: number, perClient: number) {
  await organization(stack, 'http', 1_000_000_000, 1_000_000_000);
  await cluster(stack, 'http-1', 1_000_000_000, 1_000_000_000);
  const app = express();
  app.use(express.json({ limit: '64kb' }));
  app.use(
    createDeploymentsRouter({
      httpAuth: mockServices.httpAuth(),
      deployments: stack.deployments,
    }),
  );
  const server = app.listen(0, '127.0.0.1');
  await new Promise(resolve => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  const header = mockCredentials.user.header(ADMIN);
  const latencies: number[] = [];
  let failures = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let i = 0; i < perClient; i++) {
        const t0 = performance.now();
        const res = await fetch(
          `http://127.0.0.1:${port}/organizations/http/deployments`,
          {
            method: 'POST',
            headers: {
              'Content-Type': 'application/json',
              Authorization: header,
            },
            body: JSON.stringify(submission(`h${c}-${i}`)),
          },
        );
        await res.arrayBuffer();
        latencies.push(performance.now() - t0);
        if (res.status !== 201) {
          failures += 1;
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await stack.scheduler.trigger();
  server.close();
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    failures,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    perSecond: latencies.length / seconds,
  };
}

/** Several organizations oversubscribe shared clusters with sizes 1/5/20 and three priorities. */
async function mixed(stack: Stack) {
  // Earlier phases' clusters take nothing new, so the mix shares only its own three.
  for (const c of await stack.clusters.list()) {
    await stack.clusters.update(c.name, { state: 'cordoned' });
  }
  const weights: Record<string, number> = {
    'mix-a': 1,
    'mix-b': 1,
    'mix-c': 2,
  };
  for (const name of Object.keys(weights)) {
    await organization(stack, name, 1_000_000_000, 1_000_000_000);
  }
  for (const name of ['mix-1', 'mix-2', 'mix-3']) {
    await cluster(stack, name, 64_000, 128 * 1024);
  }
  // Capacity is 3 × 128 units; each organization queues about twice that, all at once.
  const sizes = [1, 1, 1, 1, 5, 5, 20];
  const priorities: Array<[string, number]> = [
    ['low', 50],
    ['normal', 100],
    ['high', 200],
  ];
  let seed = 7;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const rows = [];
  for (const name of Object.keys(weights)) {
    let units = 0;
    let i = 0;
    while (units < 768) {
      const size = sizes[Math.floor(next() * sizes.length)];
      const [priorityClass, priority] =
        priorities[Math.floor(next() * priorities.length)];
      rows.push({
        id: crypto.randomUUID(),
        organization: name,
        team: 'web',
        name: `m${i++}`,
        image: 'registry.example.com/bench/app:1',
        replicas: 1,
        cpu_millicores: 500 * size,
        memory_mib: 1024 * size,
        gpus: 0,
        priority_class: priorityClass,
        priority,
        placement: '{}',
        state: 'queued',
        queued_at: Date.now() + Math.floor(next() * 1000),
        created_by: ADMIN,
      });
      units += size;
    }
  }
  for (let i = 0; i < rows.length; i += 500) {
    await stack.knex('deployments').insert(rows.slice(i, i + 500));
  }
  await stack.scheduler.runCycle();
  const afterFill = await measureShares();
  // Churn under saturation: a fifth of what runs stops and the queue refills the room.
  for (let round = 0; round < 5; round++) {
    const running: string[] = await stack
      .knex('deployments')
      .whereIn('organization', Object.keys(weights))
      .andWhere('state', 'admitted')
      .pluck('id');
    for (const id of running.filter(() => next() < 0.2)) {
      await stack.deploymentStore.stop(
        id,
        { type: 'stopped', message: 'benchmark churn' },
        new Date(),
      );
    }
    await stack.scheduler.runCycle();
  }

  return { afterFill, afterChurn: await measureShares() };

  async function measureShares() {
    const clusters = (await stack.clusters.list()).filter(c =>
      c.name.startsWith('mix-'),
    );
    const capacity = clusters.reduce(
      (sum, c) => sum + c.capacity.cpuMillicores,
      0,
    );
    const allocated = clusters.reduce(
      (sum, c) => sum + c.allocated.cpuMillicores,
      0,
    );
    const byOrg = await stack.deploymentStore.placedTotalsByOrganization();
    const totalWeight = Object.values(weights).reduce((a, b) => a + b, 0);
    const shares = Object.entries(weights).map(([name, weight]) => ({
      name,
      weight,
      share: (byOrg.get(name)?.cpuMillicores ?? 0) / capacity,
      fair: weight / totalWeight,
    }));
    const normalized = shares.map(x => x.share / x.fair);
    const jain =
      normalized.reduce((a, b) => a + b, 0) ** 2 /
      (normalized.length * normalized.reduce((a, b) => a + b * b, 0));
    return { utilization: allocated / capacity, shares, jain };
  }
}

/** The same guarded admission, as bare SQL through one pg client: the machine's limit. */
async function rawLimit(connectionString: string, count: number) {
  const client = new Client({ connectionString });
  await client.connect();
  await client.query(`
    create temporary table raw_clusters (name text primary key, cpu int, cpu_allocated int,
      check (cpu_allocated <= cpu));
    create temporary table raw_quotas (org text primary key, lim int, used int,
      check (used <= lim));
    create temporary table raw_deployments (id int primary key, state text, cluster text);
    create temporary table raw_reservations (subject text primary key, amount int);
    insert into raw_clusters values ('c', 2000000000, 0);
    insert into raw_quotas values ('o', 2000000000, 0);
  `);
  await client.query(
    `insert into raw_deployments select g, 'queued', null from generate_series(1, ${count}) g`,
  );
  const started = performance.now();
  for (let i = 1; i <= count; i++) {
    await client.query('begin');
    await client.query(
      "update raw_deployments set state = 'admitted', cluster = 'c' where id = $1 and state = 'queued'",
      [i],
    );
    await client.query('insert into raw_reservations values ($1, 500)', [
      `d${i}`,
    ]);
    await client.query(
      "update raw_quotas set used = used + 500 where org = 'o' and used + 500 <= lim",
    );
    await client.query(
      "update raw_clusters set cpu_allocated = cpu_allocated + 500 where name = 'c' and cpu_allocated + 500 <= cpu",
    );
    await client.query('commit');
  }
  const seconds = (performance.now() - started) / 1000;
  await client.end();
  return { perSecond: count / seconds };
}

/** Prints, at exit, the statements issued most often and the time spent in each. */
function traceQueries(knex: Knex) {
  const started = new Map<string, number>();
  const stats = new Map<string, { count: number; ms: number }>();
  knex.on('query', q => started.set(q.__knexQueryUid, performance.now()));
  knex.on('query-response', (_r, q) => {
    const key = String(q.sql).slice(0, 70);
    const entry = stats.get(key) ?? { count: 0, ms: 0 };
    entry.count += 1;
    entry.ms += performance.now() - (started.get(q.__knexQueryUid) ?? 0);
    stats.set(key, entry);
  });
  process.on('exit', () => {
    for (const [sql, { count, ms }] of [...stats]
      .sort((a, b) => b[1].ms - a[1].ms)
      .slice(0, 30)) {
      process.stderr.write(`${count}\t${ms.toFixed(0)} ms\t${sql}\n`);
    }
  });
}

async function main() {
  const name = `paasport_bench_${Date.now()}`;
  const admin = knexFactory({ client: 'pg', connection: BASE_URL });
  await admin.raw(`create database ${name}`);
  const url = new URL(BASE_URL);
  url.pathname = `/${name}`;
  const knex = knexFactory({
    client: 'pg',
    connection: url.toString(),
    pool: { min: 1, max: 10 },
  });
  try {
    if (process.env.BENCH_TRACE_QUERIES) {
      traceQueries(knex);
    }
    const stack = await createStack(knex, {
      fairShareWeights: { 'mix-c': 2 },
    });
    const pg = await knex.raw('show server_version');
    const log = (line: string) => process.stdout.write(`${line}\n`);
    log(`Paasport scheduler benchmark, ${new Date().toISOString()}`);
    log(
      `Machine: ${os.cpus().length} × ${
        os.cpus()[0]?.model ?? 'cpu'
      }, ${Math.round(os.totalmem() / 2 ** 30)} GiB; Node ${
        process.version
      }; PostgreSQL ${pg.rows[0].server_version}`,
    );

    const serial = await oneAtATime(
      stack,
      Number(process.env.BENCH_SERIAL ?? 2000),
    );
    log(
      `one at a time: ${serial.placed} placed in ${serial.seconds.toFixed(
        2,
      )} s`,
    );
    if (process.env.BENCH_TRACE_QUERIES) {
      return;
    }
    const drained = await drain(
      stack,
      Number(process.env.BENCH_DRAIN ?? 10_000),
    );
    log(`drain: ${drained.placed} placed in ${drained.seconds.toFixed(2)} s`);
    const http = await httpSubmits(
      stack,
      32,
      Number(process.env.BENCH_HTTP_PER_CLIENT ?? 60),
    );
    log(`http: ${http.requests} submits, ${http.failures} failed`);
    const mix = await mixed(stack);
    const raw = await rawLimit(
      url.toString(),
      Number(process.env.BENCH_RAW ?? 10_000),
    );

    const drainRate = drained.placed / drained.seconds;
    const rows: Array<[string, string, string]> = [
      [
        'Placements/s, one submit at a time (submit + cycle)',
        (serial.placed / serial.seconds).toFixed(0),
        '≥ 500',
      ],
      [
        'Placements/s, draining after capacity frees',
        drainRate.toFixed(0),
        '≥ 1,000',
      ],
      [
        'Time to drain 10,000 queued deployments (s)',
        drained.seconds.toFixed(2),
        '≤ 10',
      ],
      [
        'Submit latency p50 over HTTP, 32 clients (ms)',
        http.p50.toFixed(1),
        '',
      ],
      [
        'Submit latency p99 over HTTP, 32 clients (ms)',
        http.p99.toFixed(1),
        '≤ 25',
      ],
      ['Submits/s over HTTP, 32 clients', http.perSecond.toFixed(0), ''],
      ...(['afterFill', 'afterChurn'] as const).flatMap(phase => {
        const m = mix[phase];
        const when =
          phase === 'afterFill'
            ? 'after the first fill'
            : 'after 5 rounds of 20 % churn';
        return [
          [
            `Utilization of CPU, mixed workload, ${when}`,
            `${(m.utilization * 100).toFixed(1)} %`,
            '≥ 80 %',
          ],
          ...m.shares.map(x => [
            `Share of ${x.name} (weight ${x.weight}, fair ${(
              x.fair * 100
            ).toFixed(0)} %), ${when}`,
            `${(x.share * 100).toFixed(1)} %`,
            '',
          ]),
          [
            `Jain's index of weighted shares, ${when} (1 = fair)`,
            m.jain.toFixed(3),
            '',
          ],
        ] as Array<[string, string, string]>;
      }),
      ['Raw guarded admission, bare pg, tx/s', raw.perSecond.toFixed(0), ''],
      [
        'Drain rate as a ratio of the raw limit',
        (drainRate / raw.perSecond).toFixed(2),
        '≥ 0.3',
      ],
    ];
    log('');
    log('| Measure | Result | Target |');
    log('| --- | ---: | --- |');
    for (const [measure, result, target] of rows) {
      log(`| ${measure} | ${result} | ${target} |`);
    }
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
