// @ts-check

const STATES = ['pending', 'approved', 'denied', 'cancelled', 'expired'];
const APPROVERS = ['admin', 'platform'];

/**
 * Approvals: requests that someone else decides, such as a higher organization quota.
 *
 * A row leaves `pending` only through a guarded update (`... where state = 'pending' and
 * expires_at > now`), so of two approvers deciding at once exactly one wins. A pending row
 * past `expires_at` reads as expired; nothing has to rewrite it.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('approvals', table => {
    table.comment(
      'Requests that an organization admin or the platform team decides',
    );
    table.string('id', 36).primary().comment('UUID');
    table
      .string('organization', 63)
      .notNullable()
      .references('name')
      .inTable('organizations')
      .onDelete('CASCADE');
    table
      .string('subject_type', 64)
      .notNullable()
      .comment('What is asked for, such as quota-increase');
    table
      .text('subject')
      .notNullable()
      .comment('JSON of what is asked for, read according to subject_type');
    table
      .string('requested_by', 255)
      .notNullable()
      .comment('Entity ref of the requester, who is notified of the decision');
    table.text('reason').notNullable().comment('Why the requester asks');
    table
      .string('required_approver', 16)
      .notNullable()
      .comment(
        'admin: an organization admin decides; platform: the platform team decides',
      );
    table.string('state', 16).notNullable().defaultTo('pending');
    table.string('decided_by', 255).nullable();
    table.timestamp('decided_at', { useTz: true }).nullable();
    table
      .text('decision_reason')
      .nullable()
      .comment('Why it was decided so; shown to the requester');
    table
      .timestamp('expires_at', { useTz: true })
      .notNullable()
      .comment('A pending approval past this can no longer be decided');
    table
      .timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
    table.index(['organization', 'state'], 'approvals_organization_idx');
    table.index(['required_approver', 'state'], 'approvals_inbox_idx');
    table.check(
      `?? in (${STATES.map(() => '?').join(', ')})`,
      ['state', ...STATES],
      'approvals_state_check',
    );
    table.check(
      `?? in (${APPROVERS.map(() => '?').join(', ')})`,
      ['required_approver', ...APPROVERS],
      'approvals_required_approver_check',
    );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('approvals');
};
