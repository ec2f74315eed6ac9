import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  catalog?: {
    providers?: {
      /**
       * The Paasport entity providers, which publish organizations and teams as catalog Groups
       * and managed resources as catalog Resources.
       */
      paas?: {
        /**
         * How often the providers read Paasport. Defaults to every 30 seconds with a
         * 3 minute timeout and a 10 second delay before the first run.
         */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      };
    };
  };
}
