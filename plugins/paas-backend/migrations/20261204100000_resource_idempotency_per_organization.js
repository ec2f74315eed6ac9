// @ts-check

/**
 * An idempotency key is unique within its organization, not across all of them: a key one
 * organization sends must neither return nor block another organization's resource.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('resources', table => {
    table.dropUnique(['idempotency_key'], 'resources_idempotency_key_uniq');
    table.unique(['organization', 'idempotency_key'], {
      indexName: 'resources_organization_idempotency_key_uniq',
    });
    table.comment(
      'Infrastructure resources Paasport manages; an idempotency key is unique within its organization',
    );
  });
};

/**
 * Fails when two organizations have used the same key since, as the global index would not
 * hold; those rows need a key changed by hand first.
 *
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('resources', table => {
    table.dropUnique(
      ['organization', 'idempotency_key'],
      'resources_organization_idempotency_key_uniq',
    );
    table.unique(['idempotency_key'], {
      indexName: 'resources_idempotency_key_uniq',
    });
    table.comment('Infrastructure resources Paasport manages');
  });
};
