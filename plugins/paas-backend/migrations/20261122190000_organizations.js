// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('organizations', table => {
    table.comment(
      'Tenants: each owns members, quota, resources and deployments',
    );
    table
      .string('name', 63)
      .primary()
      .comment(
        'Stable id; also the name of the catalog Group published for it',
      );
    table.string('title', 255).notNullable().comment('Display name');
    table.text('description').nullable();
    table
      .string('group_ref', 255)
      .nullable()
      .unique()
      .comment('Catalog group this organization adopts, if not created here');
    table
      .string('created_by', 255)
      .notNullable()
      .comment('Entity ref of the user who created it');
    table
      .timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('organizations');
};
