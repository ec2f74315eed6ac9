import { Knex } from 'knex';

/**
 * Rows that break the quota model: for every row `used` is the sum of the reservations it is
 * charged, an organization row's `allocated` is the sum of its teams' limits, and
 * `used + allocated <= limit`; every reservation in a non-GPU-type dimension has a quota.
 */
export async function quotaInconsistencies(knex: Knex): Promise<string[]> {
  const rows = await knex('quotas as q').select(
    'q.organization',
    'q.team',
    'q.dimension',
    'q.limit_amount',
    'q.used',
    'q.allocated',
    knex('quota_reservations as r')
      .sum('r.amount')
      .whereRaw('?? = ??', ['r.organization', 'q.organization'])
      .andWhereRaw('?? = ??', ['r.dimension', 'q.dimension'])
      .andWhere(charged =>
        charged
          .whereRaw('?? = ??', ['r.team', 'q.team'])
          .orWhere(pool =>
            pool
              .where('q.team', '')
              .whereNotExists(
                knex('quotas as t')
                  .select(knex.raw('1'))
                  .whereRaw('?? = ??', ['t.organization', 'r.organization'])
                  .andWhereRaw('?? = ??', ['t.dimension', 'r.dimension'])
                  .andWhereRaw('?? = ??', ['t.team', 'r.team'])
                  .andWhereNot('t.team', ''),
              ),
          ),
      )
      .as('reserved'),
    knex('quotas as t')
      .sum('t.limit_amount')
      .whereRaw('?? = ??', ['t.organization', 'q.organization'])
      .andWhereRaw('?? = ??', ['t.dimension', 'q.dimension'])
      .andWhereNot('t.team', '')
      .as('carved'),
  );
  const problems: string[] = [];
  for (const row of rows) {
    const name = `${row.organization}/${row.team || '(org)'}/${row.dimension}`;
    const reserved = Number(row.reserved ?? 0);
    const carved = row.team === '' ? Number(row.carved ?? 0) : 0;
    if (row.used !== reserved) {
      problems.push(`${name}: used ${row.used} but reservations ${reserved}`);
    }
    if (row.allocated !== carved) {
      problems.push(`${name}: allocated ${row.allocated} but carved ${carved}`);
    }
    if (row.used + row.allocated > row.limit_amount) {
      problems.push(`${name}: over its limit`);
    }
  }
  const orphans = await knex('quota_reservations as r')
    .whereNot('r.dimension', 'like', 'gpus/%')
    .whereNotExists(
      knex('quotas as q')
        .select(knex.raw('1'))
        .whereRaw('?? = ??', ['q.organization', 'r.organization'])
        .andWhereRaw('?? = ??', ['q.dimension', 'r.dimension'])
        .andWhere('q.team', ''),
    )
    .select('r.subject', 'r.dimension');
  for (const orphan of orphans) {
    problems.push(`${orphan.subject} holds ${orphan.dimension} without quota`);
  }
  return problems;
}

/**
 * Placements that break the scheduling model: every cluster's allocated counters equal the
 * totals of the deployments admitted or running on it and stay within capacity; exactly the
 * placed deployments hold quota, as much as they ask for; and the quota model holds.
 */
export async function schedulingInconsistencies(knex: Knex): Promise<string[]> {
  const problems = await quotaInconsistencies(knex);
  const clusters = await knex('clusters').select();
  const placed = await knex('deployments')
    .whereIn('state', ['admitted', 'running'])
    .select();
  for (const cluster of clusters) {
    const here = placed.filter(d => d.cluster === cluster.name);
    const sum = (column: string) =>
      here.reduce((total, d) => total + d.replicas * d[column], 0);
    for (const [allocated, capacity, column] of [
      ['cpu_allocated', 'cpu_millicores', 'cpu_millicores'],
      ['memory_allocated', 'memory_mib', 'memory_mib'],
      ['gpus_allocated', 'gpus', 'gpus'],
    ]) {
      if (cluster[allocated] !== sum(column)) {
        problems.push(
          `${cluster.name}: ${allocated} ${
            cluster[allocated]
          } but its deployments hold ${sum(column)}`,
        );
      }
      if (cluster[allocated] > cluster[capacity]) {
        problems.push(`${cluster.name}: ${allocated} over capacity`);
      }
    }
  }
  const cpuHeld = new Map<string, number>(
    (
      await knex('quota_reservations')
        .where('subject', 'like', 'deployment:%')
        .andWhere('dimension', 'cpu-millicores')
        .select('subject', 'amount')
    ).map(r => [r.subject, r.amount]),
  );
  for (const d of placed) {
    const held = cpuHeld.get(`deployment:${d.id}`);
    if (held !== d.replicas * d.cpu_millicores) {
      problems.push(
        `${d.name} is ${d.state} but holds ${held ?? 'no'} cpu quota`,
      );
    }
    cpuHeld.delete(`deployment:${d.id}`);
  }
  for (const subject of cpuHeld.keys()) {
    problems.push(`${subject} holds quota but is not placed`);
  }
  return problems;
}
