import { LoggerService } from '@backstage/backend-plugin-api';
import { PaasHealth } from '@paasport/plugin-paas-common';
import { Knex } from 'knex';

/** Answers whether the plugin can do its work: database reachable, providers installed. */
export function createHealthService(options: {
  db: Knex;
  providerKinds: () => string[];
  logger: LoggerService;
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
      return {
        status: database === 'ok' ? 'ok' : 'degraded',
        database,
        providers: options.providerKinds(),
      };
    },
  };
}
