// @ts-check

/**
 * Resources, deployments and resource events are the only record of real cloud and cluster
 * objects, so deleting an organization row (or a resource row) must not take them along:
 * their foreign keys change from ON DELETE CASCADE to RESTRICT. Offboarding an organization
 * has to delete or orphan what it runs first.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await setOnDelete(knex, 'RESTRICT');
};

// SQLite changes a foreign key by rebuilding the table, and dropping the old table with
// foreign keys enforced would run its cascades (or fail its restrictions). Knex turns
// enforcement off for the rebuild only outside a transaction, so this migration runs
// without knex's transaction and makes its own where the database can alter in place.
exports.config = { transaction: false };

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await setOnDelete(knex, 'CASCADE');
};

/**
 * @param {import('knex').Knex} knex
 * @param {'RESTRICT' | 'CASCADE'} onDelete
 */
async function setOnDelete(knex, onDelete) {
  const keys = [
    ['resources', 'organization', 'organizations', 'name'],
    ['deployments', 'organization', 'organizations', 'name'],
    ['resource_events', 'resource_id', 'resources', 'id'],
  ];
  const alter = async (/** @type {import('knex').Knex} */ db) => {
    for (const [table, column, target, targetColumn] of keys) {
      await db.schema.alterTable(table, t => {
        t.dropForeign([column]);
        t.foreign(column)
          .references(targetColumn)
          .inTable(target)
          .onDelete(onDelete);
      });
    }
  };
  if (knex.client.config.client.includes('sqlite')) {
    // Knex puts foreign_keys back after each rebuild without waiting for it, so a statement
    // right after the migration could still run unenforced: put it back here, and wait.
    const [{ foreign_keys: enforced }] = await knex.raw('PRAGMA foreign_keys');
    await alter(knex);
    await knex.raw(`PRAGMA foreign_keys = ${enforced ? 'ON' : 'OFF'}`);
  } else {
    await knex.transaction(alter);
  }
}
