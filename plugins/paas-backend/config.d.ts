import { HumanDuration } from '@backstage/types';

export interface Config {
  /** Configuration of the Paasport backend plugin (`@paasport/plugin-paas-backend`). */
  paas?: {
    /** Invite codes that let signed-in users join an organization. */
    invites?: {
      /**
       * How long a new code stays valid when its creator gives no expiry.
       * @default { days: 7 }
       */
      defaultExpiry?: HumanDuration;
    };
  };
}
