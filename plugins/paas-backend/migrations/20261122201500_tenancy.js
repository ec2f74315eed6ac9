// @ts-check

const ROLES = ['admin', 'developer', 'viewer'];

/**
 * Teams and memberships.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('teams', table => {
    table.comment('Teams of an organization; quota can be carved out for each');
    table
      .string('organization', 63)
      .notNullable()
      .references('name')
      .inTable('organizations')
      .onDelete('CASCADE');
    table
      .string('name', 63)
      .notNullable()
      .comment('Unique within the organization');
    table.string('title', 255).notNullable();
    table.text('description').nullable();
    table
      .string('group_ref', 255)
      .nullable()
      .unique()
      .comment('Catalog group this team adopts, if not created here');
    table.string('created_by', 255).notNullable();
    table
      .timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
    table.primary(['organization', 'name']);
  });

  await knex.schema.createTable('memberships', table => {
    table.comment('Who belongs to an organization, in which role');
    table
      .string('organization', 63)
      .notNullable()
      .references('name')
      .inTable('organizations')
      .onDelete('CASCADE');
    table
      .string('user_ref', 255)
      .notNullable()
      .comment('Entity ref of the user');
    table
      .string('role', 16)
      .notNullable()
      .comment(`One of ${ROLES.join(', ')}`);
    table.string('created_by', 255).notNullable();
    table
      .timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
    table.primary(['organization', 'user_ref']);
    table.index(['user_ref'], 'memberships_user_ref_idx');
    table.check(
      `?? in (${ROLES.map(() => '?').join(', ')})`,
      ['role', ...ROLES],
      'memberships_role_check',
    );
  });
  await knex.schema.createTable('team_members', table => {
    table.comment('Members of the organization who belong to a team');
    table.string('organization', 63).notNullable();
    table.string('team', 63).notNullable();
    table.string('user_ref', 255).notNullable();
    table.primary(['organization', 'team', 'user_ref']);
    table
      .foreign(['organization', 'team'])
      .references(['organization', 'name'])
      .inTable('teams')
      .onDelete('CASCADE');
    table
      .foreign(['organization', 'user_ref'])
      .references(['organization', 'user_ref'])
      .inTable('memberships')
      .onDelete('CASCADE');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('team_members');
  await knex.schema.dropTable('memberships');
  await knex.schema.dropTable('teams');
};
