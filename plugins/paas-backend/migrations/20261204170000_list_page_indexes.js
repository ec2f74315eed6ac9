// @ts-check

/**
 * Indexes on the orders lists are paged in, so that each page is an index range scan from
 * its cursor instead of a sort of every matching row.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('invite_codes', table => {
    table.index(['organization', 'created_at', 'id'], 'invite_codes_page_idx');
  });
  await knex.schema.alterTable('approvals', table => {
    table.index(['organization', 'created_at', 'id'], 'approvals_page_idx');
    table.index(['created_at', 'id'], 'approvals_inbox_page_idx');
  });
  await knex.schema.alterTable('resources', table => {
    table.index(
      ['organization', 'team', 'kind', 'name', 'created_at', 'id'],
      'resources_page_idx',
    );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('resources', table => {
    table.dropIndex([], 'resources_page_idx');
  });
  await knex.schema.alterTable('approvals', table => {
    table.dropIndex([], 'approvals_inbox_page_idx');
    table.dropIndex([], 'approvals_page_idx');
  });
  await knex.schema.alterTable('invite_codes', table => {
    table.dropIndex([], 'invite_codes_page_idx');
  });
};
