// @ts-check

const ROLES = ['admin', 'developer', 'viewer'];

/**
 * Invite codes. Only a hash of each code is kept; `uses` can never pass `max_uses`.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('invite_codes', table => {
    table.comment(
      'Codes that let a signed-in user join an organization in a role',
    );
    table
      .string('id', 36)
      .primary()
      .comment('Public id, for listing and revoking');
    table
      .string('organization', 63)
      .notNullable()
      .references('name')
      .inTable('organizations')
      .onDelete('CASCADE');
    table.string('role', 16).notNullable();
    table
      .string('code_hash', 64)
      .notNullable()
      .unique()
      .comment(
        'Hex SHA-256 of the code; the code itself is shown once and never stored',
      );
    table.integer('max_uses').notNullable();
    table.integer('uses').notNullable().defaultTo(0);
    table.timestamp('expires_at', { useTz: true }).notNullable();
    table.timestamp('revoked_at', { useTz: true }).nullable();
    table.string('created_by', 255).notNullable();
    table
      .timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
    table.index(['organization'], 'invite_codes_organization_idx');
    table.check(
      `?? in (${ROLES.map(() => '?').join(', ')})`,
      ['role', ...ROLES],
      'invite_codes_role_check',
    );
    table.check(
      '?? > 0 and ?? >= 0 and ?? <= ??',
      ['max_uses', 'uses', 'uses', 'max_uses'],
      'invite_codes_uses_check',
    );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('invite_codes');
};
