// @ts-check

/**
 * A deployment's containers get a read-only root filesystem unless it opts out.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('deployments', table => {
    table
      .boolean('writable_root_filesystem')
      .notNullable()
      .defaultTo(false)
      .comment(
        'True when the containers may write to their root filesystem; read-only otherwise',
      );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  // Plain DROP COLUMN, which SQLite has had since 3.35: knex's own way on SQLite rebuilds the
  // table, which its foreign keys forbid while deployment events exist.
  await knex.raw(
    'alter table deployments drop column writable_root_filesystem',
  );
};
