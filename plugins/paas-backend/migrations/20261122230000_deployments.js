// @ts-check

const STATES = [
  'pending-approval',
  'queued',
  'admitted',
  'running',
  'stopped',
  'failed',
];
const PLACED = ['admitted', 'running'];

/** @param {string[]} values */
const list = values => values.map(v => `'${v}'`).join(', ');

/**
 * Container deployments, the queue they wait in and what happened to them.
 *
 * A deployment holds quota (a reservation with subject `deployment:<id>`) and cluster capacity
 * exactly while it is admitted or running; the scheduler moves it there with a guarded
 * `update ... where state = 'queued'`, so two replicas can never place it twice. The CHECK
 * constraint ties the cluster column to those states.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('deployments', table => {
    table.comment('Container deployments scheduled onto clusters');
    table.string('id', 36).primary().comment('UUID');
    table
      .string('organization', 63)
      .notNullable()
      .references('name')
      .inTable('organizations')
      .onDelete('CASCADE');
    table.string('team', 63).notNullable();
    table.string('name', 63).notNullable();
    table.string('image', 512).notNullable();
    table.integer('replicas').notNullable();
    table
      .integer('cpu_millicores')
      .notNullable()
      .comment('Per replica');
    table.integer('memory_mib').notNullable().comment('Per replica');
    table.integer('gpus').notNullable().defaultTo(0).comment('Per replica');
    table.string('gpu_type', 63).nullable();
    table.string('priority_class', 63).notNullable();
    table
      .integer('priority')
      .notNullable()
      .comment('The priority class as a number when submitted');
    table
      .text('placement')
      .notNullable()
      .defaultTo('{}')
      .comment('JSON object of labels a cluster must have');
    table
      .string('state', 32)
      .notNullable()
      .comment(`One of ${STATES.join(', ')}`);
    table
      .string('cluster', 63)
      .nullable()
      .references('name')
      .inTable('clusters')
      .comment('Where it is placed while admitted or running');
    table
      .bigInteger('queued_at')
      .notNullable()
      .comment(
        'Milliseconds since the epoch when it first queued; FIFO order within a priority',
      );
    table.integer('preemptions').notNullable().defaultTo(0);
    table.string('approval_id', 36).nullable();
    table
      .text('reason')
      .nullable()
      .comment('Why it waits or failed, as the scheduler last saw it');
    table.string('created_by', 255).notNullable();
    table
      .timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
    table
      .timestamp('updated_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
    table.unique(['organization', 'team', 'name'], {
      indexName: 'deployments_name_uniq',
    });
    table.index(['state', 'priority', 'queued_at'], 'deployments_queue_idx');
    table.index(['cluster'], 'deployments_cluster_idx');

    table.check(
      `?? in (${list(STATES)})`,
      ['state'],
      'deployments_state_check',
    );
    table.check(
      `(?? in (${list(PLACED)})) = (?? is not null)`,
      ['state', 'cluster'],
      'deployments_cluster_check',
    );
    table.check(
      '?? >= 1 and ?? >= 1 and ?? >= 1 and ?? >= 0 and ?? >= 0',
      ['replicas', 'cpu_millicores', 'memory_mib', 'gpus', 'preemptions'],
      'deployments_amounts_check',
    );
  });

  await knex.schema.createTable('deployment_events', table => {
    table.comment('What happened to each deployment, in order');
    table.increments('id');
    table
      .string('deployment_id', 36)
      .notNullable()
      .references('id')
      .inTable('deployments')
      .onDelete('CASCADE');
    table.string('type', 32).notNullable();
    table.text('message').notNullable();
    table.string('actor', 255).nullable();
    table
      .bigInteger('created_at')
      .notNullable()
      .comment('Milliseconds since the epoch');
    table.index(['deployment_id', 'id'], 'deployment_events_deployment_idx');
    table.index(['type', 'created_at'], 'deployment_events_type_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('deployment_events');
  await knex.schema.dropTable('deployments');
};
