// @ts-check

/**
 * What the workload runtime holds on clusters for each deployment: a row is written when a
 * deployment's workload is applied and deleted once it is removed. It has no foreign key, so a
 * deleted, stopped or preempted deployment leaves its row behind until the rollout has taken
 * the workload off its cluster.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('deployment_workloads', table => {
    table.comment('Workloads applied to clusters, until they are removed');
    table.string('deployment_id', 36).primary();
    table.string('organization', 63).notNullable();
    table.string('team', 63).notNullable();
    table.string('name', 63).notNullable();
    table.string('cluster', 63).notNullable();
    table.string('namespace', 63).notNullable();
    table
      .bigInteger('applied_at')
      .notNullable()
      .comment('Milliseconds since the epoch');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('deployment_workloads');
};
