import { LoggerService } from '@backstage/backend-plugin-api';
import { PaasHealth } from '@paasport/plugin-paas-common';
import { Knex } from 'knex';
import { LoopMonitor } from './LoopMonitor';

/**
 * Answers whether the plugin can do its work: database reachable, providers installed, and
 * the background loops of this replica completing their passes.
 */
export function createHealthService(options: {
  db: Knex;
  providerKinds: () => string[];
  logger: LoggerService;
  loops?: LoopMonitor;
}) {
  return {
    async check(): Promise<PaasHealth> {
      let database: PaasHealth['database'] = 'ok';
      try {
        await options.db.raw('select 1');
      } catch (error) {
        options.logger.warn(`Database health check failed: ${error}`);
        database = 'unreachable';
      }
      const stalledLoops = options.loops?.stalled() ?? [];
      return {
        status:
          database === 'ok' && stalledLoops.length === 0 ? 'ok' : 'degraded',
        database,
        providers: options.providerKinds(),
        ...(stalledLoops.length > 0 ? { stalledLoops } : {}),
      };
    },
  };
}
