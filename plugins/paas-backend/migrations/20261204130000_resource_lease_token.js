// @ts-check

/**
 * A token drawn afresh for every claim of a resource. The reconciler renews its lease and
 * writes outcomes only where the row still carries its token, so a replica whose lease ran
 * out (and was taken by another) can no longer call the provider for, or write over, a
 * resource it does not hold.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('resources', table => {
    table
      .string('lease_token', 36)
      .nullable()
      .comment(
        'Random per claim; outcomes are written only under the same token',
      );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  // Plain DROP COLUMN, which SQLite has had since 3.35: knex's own way on SQLite rebuilds the
  // table, which its foreign keys forbid while resource events exist.
  await knex.raw('alter table resources drop column lease_token');
};
