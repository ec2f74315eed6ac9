// @ts-check

/**
 * Quotas of organizations and teams, the reservations that use them, and their history.
 *
 * One row per (organization, team, dimension); team '' is the organization's own row.
 * - On a team row, `used` is what that team's reservations hold and `allocated` is 0.
 * - On an organization row, `allocated` is the sum of its teams' limits (the carve-outs) and
 *   `used` is what teams without a carve-out for that dimension hold (the shared pool).
 * Either way `used + allocated <= limit_amount`, so no write can over-allocate; the store
 * changes these counters only with guarded updates in the transaction that changes the
 * reservations.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('quotas', table => {
    table.comment('Limits and usage per organization, team and dimension');
    table
      .string('organization', 63)
      .notNullable()
      .references('name')
      .inTable('organizations')
      .onDelete('CASCADE');
    table
      .string('team', 63)
      .notNullable()
      .defaultTo('')
      .comment("Team the row is for; '' for the organization itself");
    table
      .string('dimension', 128)
      .notNullable()
      .comment(
        'cpu-millicores, memory-mib, gpus, gpus/<type>, count/<kind>, budget-monthly',
      );
    table.integer('limit_amount').notNullable();
    table.integer('used').notNullable().defaultTo(0);
    table.integer('allocated').notNullable().defaultTo(0);
    table
      .timestamp('updated_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
    table.primary(['organization', 'team', 'dimension']);
    table.check(
      '?? >= 0 and ?? >= 0 and ?? >= 0 and ?? + ?? <= ??',
      [
        'limit_amount',
        'used',
        'allocated',
        'used',
        'allocated',
        'limit_amount',
      ],
      'quotas_within_limit_check',
    );
  });

  await knex.schema.createTable('quota_reservations', table => {
    table.comment('What holds quota: one row per subject and dimension');
    table
      .string('organization', 63)
      .notNullable()
      .references('name')
      .inTable('organizations')
      .onDelete('CASCADE');
    table.string('team', 63).notNullable();
    table.string('dimension', 128).notNullable();
    table.integer('amount').notNullable();
    table
      .string('subject', 255)
      .notNullable()
      .comment('What holds it, such as resource:<id> or deployment:<id>');
    table
      .timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
    table.primary(['subject', 'dimension']);
    table.index(
      ['organization', 'team', 'dimension'],
      'quota_reservations_scope_idx',
    );
    table.check('?? > 0', ['amount'], 'quota_reservations_amount_check');
  });

  await knex.schema.createTable('quota_changes', table => {
    table.comment('Who changed which limit, when and why');
    table.increments('id');
    table.string('organization', 63).notNullable();
    table.string('team', 63).notNullable().defaultTo('');
    table.string('dimension', 128).notNullable();
    table
      .integer('previous_limit')
      .nullable()
      .comment('Null when the quota was created');
    table
      .integer('new_limit')
      .nullable()
      .comment('Null when the quota was removed');
    table.string('changed_by', 255).notNullable();
    table.text('reason').nullable();
    table
      .timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
    table.index(
      ['organization', 'created_at'],
      'quota_changes_organization_idx',
    );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('quota_changes');
  await knex.schema.dropTable('quota_reservations');
  await knex.schema.dropTable('quotas');
};
