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
       * `allow` (the default) behaves like Backstage's allow-all policy for them; `deny`
       * refuses every non-Paasport permission to users and unauthenticated callers.
       */
      otherPlugins?: 'allow' | 'deny';
    };
  };
}
