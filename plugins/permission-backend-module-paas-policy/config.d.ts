export interface Config {
  paas?: {
    /**
     * The Paasport permission policy (`@paasport/plugin-permission-backend-module-paas-policy`).
     */
    policy?: {
      /**
       * Users and groups allowed every Paasport permission, as entity refs such as
       * `group:default/platform-team` or `user:default/ada.lovelace`. A user matches through
       * their own ref or any group in their ownership refs (the groups they are a member of).
       */
      platformAdmins?: string[];
      /**
       * The decision for the permissions of other plugins (catalog, scaffolder, ...).
       * `deny` (the default) refuses every non-Paasport permission to users and
       * unauthenticated callers; `allow` behaves like Backstage's allow-all policy for them.
       * A backend has one policy: set `allow` when this one is meant to be the whole app's
       * policy and the other plugins should stay open.
       */
      otherPlugins?: 'allow' | 'deny';
    };
  };
}
