import { HumanDuration } from '@backstage/types';

export interface Config {
  /** Configuration of the Paasport backend plugin (`@paasport/plugin-paas-backend`). */
  paas?: {
    /** Invite codes that let signed-in users join an organization. */
    invites?: {
      /**
       * How long a new code stays valid when its creator gives no expiry: a duration object,
       * or a string such as `P7D` or `7d`. At most 90 days.
       * @default { days: 7 }
       */
      defaultExpiry?: HumanDuration | string;
      /** How often one user may try to redeem codes; counted per replica of the backend. */
      redeemRateLimit?: {
        /**
         * Attempts allowed per user within `window`; further attempts get 429 with Retry-After.
         * @default 5
         */
        max?: number;
        /**
         * The time over which attempts are counted: a duration object, or a string such as
         * `PT1M` or `1m`. Between a second and 24 days.
         * @default { minutes: 1 }
         */
        window?: HumanDuration | string;
      };
    };
  };
}
