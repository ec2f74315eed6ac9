// @ts-check

const PHASES = [
  'pending-approval',
  'provisioning',
  'ready',
  'failed',
  'deleting',
  'deleted',
];
const POLICIES = ['delete', 'orphan', 'protect'];

/** @param {string[]} values */
const list = values => values.map(v => `'${v}'`).join(', ');

/**
 * Managed resources (desired state plus what the provider last reported) and their history.
 *
 * A resource holds quota (a reservation with subject `resource:<id>`) from the moment it is
 * accepted until it is deleted. The reconciler claims due rows with a guarded update of the
 * lease columns, so two replicas never work on one resource at once.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('resources', table => {
    table.comment('Infrastructure resources Paasport manages');
    table.string('id', 36).primary().comment('UUID');
    table
      .string('organization', 63)
      .notNullable()
      .references('name')
      .inTable('organizations')
      .onDelete('CASCADE');
    table.string('team', 63).notNullable();
    table.string('kind', 63).notNullable();
    table.string('name', 63).notNullable();
    table
      .string('external_name', 255)
      .notNullable()
      .comment('Deterministic name of the real resource');
    table.string('component', 255).nullable();
    table.text('spec').notNullable().comment('JSON, validated per kind');
    table
      .string('phase', 32)
      .notNullable()
      .comment(`One of ${PHASES.join(', ')}`);
    table.string('deletion_policy', 16).notNullable().defaultTo('delete');
    table.integer('generation').notNullable().defaultTo(1);
    table.integer('observed_generation').notNullable().defaultTo(0);
    table.text('conditions').notNullable().defaultTo('[]');
    table
      .text('outputs')
      .notNullable()
      .defaultTo('{}')
      .comment('JSON of non-secret provider outputs');
    table.string('external_id', 2048).nullable();
    table
      .integer('monthly_cost')
      .notNullable()
      .defaultTo(0)
      .comment('Estimate in whole currency units');
    table.string('approval_id', 36).nullable();
    table
      .string('idempotency_key', 255)
      .nullable()
      .unique({ indexName: 'resources_idempotency_key_uniq' })
      .comment('Key of the request that created it, such as a scaffolder task step');
    table.text('message').nullable().comment('Last error or what it waits for');
    table.integer('attempts').notNullable().defaultTo(0);
    table
      .bigInteger('next_attempt_at')
      .nullable()
      .comment('Milliseconds since the epoch; null when nothing is due');
    table.string('lease_owner', 64).nullable();
    table.bigInteger('lease_expires_at').nullable();
    table.string('requested_by', 255).notNullable();
    table
      .timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
    table
      .timestamp('updated_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
    table.index(['organization', 'team'], 'resources_owner_idx');
    table.index(['next_attempt_at'], 'resources_due_idx');
    table.check(`?? in (${list(PHASES)})`, ['phase'], 'resources_phase_check');
    table.check(
      `?? in (${list(POLICIES)})`,
      ['deletion_policy'],
      'resources_deletion_policy_check',
    );
    table.check(
      '?? >= 1 and ?? >= 0 and ?? <= ?? and ?? >= 0 and ?? >= 0',
      [
        'generation',
        'observed_generation',
        'observed_generation',
        'generation',
        'attempts',
        'monthly_cost',
      ],
      'resources_counters_check',
    );
  });
  // One live resource per team, kind and name, and one per real name; deleted rows stay as
  // history without blocking a new resource of the same name.
  await knex.raw(
    `create unique index resources_name_uniq on resources (organization, team, kind, name) where phase <> 'deleted'`,
  );
  await knex.raw(
    `create unique index resources_external_name_uniq on resources (kind, external_name) where phase <> 'deleted'`,
  );

  await knex.schema.createTable('resource_events', table => {
    table.comment('What happened to each resource, in order');
    table.increments('id');
    table
      .string('resource_id', 36)
      .notNullable()
      .references('id')
      .inTable('resources')
      .onDelete('CASCADE');
    table.string('type', 32).notNullable();
    table.text('message').notNullable();
    table.string('actor', 255).nullable();
    table
      .bigInteger('created_at')
      .notNullable()
      .comment('Milliseconds since the epoch');
    table.index(['resource_id', 'id'], 'resource_events_resource_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('resource_events');
  await knex.schema.dropTable('resources');
};
