// @ts-check

const STATES = ['ready', 'cordoned', 'draining'];
const SOURCES = ['api', 'catalog'];

/** [dimension, capacity column, allocated column] */
const DIMENSIONS = [
  ['cpu', 'cpu_millicores', 'cpu_allocated'],
  ['memory', 'memory_mib', 'memory_allocated'],
  ['gpus', 'gpus', 'gpus_allocated'],
];

/**
 * Clusters deployments are scheduled onto, with their capacity and what is allocated of it.
 *
 * The scheduler changes the allocated counters only with guarded updates
 * (`... where cpu_allocated + x <= cpu_millicores`), which are atomic on PostgreSQL and
 * SQLite alike; the CHECK constraints make over-allocation impossible even for a write
 * that forgets its guard.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('clusters', table => {
    table.comment('Kubernetes clusters deployments can be scheduled onto');
    table
      .string('name', 63)
      .primary()
      .comment('DNS label; unique across Paasport');
    table.string('title', 255).notNullable();
    table
      .integer('cpu_millicores')
      .notNullable()
      .comment('Schedulable CPU in millicores');
    table
      .integer('memory_mib')
      .notNullable()
      .comment('Schedulable memory in MiB');
    table.integer('gpus').notNullable().defaultTo(0).comment('GPUs in total');
    table
      .string('gpu_type', 63)
      .nullable()
      .comment('Type of the GPUs, such as nvidia-a100');
    table
      .integer('cpu_allocated')
      .notNullable()
      .defaultTo(0)
      .comment('Millicores allocated to deployments');
    table
      .integer('memory_allocated')
      .notNullable()
      .defaultTo(0)
      .comment('MiB allocated to deployments');
    table
      .integer('gpus_allocated')
      .notNullable()
      .defaultTo(0)
      .comment('GPUs allocated to deployments');
    table
      .text('labels')
      .notNullable()
      .defaultTo('{}')
      .comment('JSON object of labels such as region and environment');
    table
      .string('state', 16)
      .notNullable()
      .defaultTo('ready')
      .comment(`One of ${STATES.join(', ')}; only ready clusters take new work`);
    table
      .string('source', 16)
      .notNullable()
      .comment(`One of ${SOURCES.join(', ')}: how the cluster was registered`);
    table.string('created_by', 255).notNullable();
    table
      .timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
    table
      .timestamp('updated_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now())
      .comment('When title, capacity, labels or state last changed');

    for (const [dimension, capacity, allocated] of DIMENSIONS) {
      table.check(
        '?? >= 0 and ?? >= 0 and ?? <= ??',
        [capacity, allocated, allocated, capacity],
        `clusters_${dimension}_allocation_check`,
      );
    }
    table.check(
      `?? in (${STATES.map(s => `'${s}'`).join(', ')})`,
      ['state'],
      'clusters_state_check',
    );
    table.check(
      `?? in (${SOURCES.map(s => `'${s}'`).join(', ')})`,
      ['source'],
      'clusters_source_check',
    );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('clusters');
};
