export interface Config {
  /** Configuration of the Paasport backend plugin. */
  paas?: {
    /**
     * The Kubernetes resource provider and workload runtime
     * (`@paasport/plugin-paas-backend-module-kubernetes`): how team namespaces and the
     * Deployments of admitted workloads are delivered to clusters, and what namespaces get
     * by default.
     */
    kubernetes?: {
      /**
       * How manifests reach the clusters. `gitops` commits them to a Git repository that a
       * GitOps controller (Flux, Argo CD) applies. `direct` applies them to each cluster's
       * API server with server-side apply, using the connections in `clusters`.
       * @default gitops
       */
      delivery?: 'gitops' | 'direct';
      /**
       * The API servers `direct` delivery applies to, with the field names of the Backstage
       * Kubernetes plugin's `clusters[]`. Paasport's own list, not that plugin's: the token
       * here may create namespaces and bind roles, which the read-only token of the
       * Kubernetes plugin should never be able to do.
       */
      clusters?: Array<{
        /** The cluster's name, as Paasport's clusters and namespace specs name it. */
        name: string;
        /** Base URL of the API server; must be `https://`. */
        url: string;
        /**
         * How Paasport authenticates; only a service account token is supported.
         * @default serviceAccount
         */
        authProvider?: 'serviceAccount';
        /**
         * Bearer token of the service account Paasport acts as on this cluster.
         * @visibility secret
         */
        serviceAccountToken: string;
        /**
         * Base64-encoded PEM of the certificate authorities that signed the API server's
         * certificate, as `certificate-authority-data` in a kubeconfig. Without it, the
         * system's trusted CAs are used.
         */
        caData?: string;
        /**
         * Skips checking the API server's certificate. For local development clusters only.
         * @default false
         */
        skipTLSVerify?: boolean;
      }>;
      /** The GitOps repository, used when `delivery` is `gitops`. */
      gitops?: {
        /**
         * Working tree of the GitOps repository; created and initialised (branch `main`) when
         * missing. A relative path is resolved against the root of the Backstage repository
         * (the nearest folder up from the working directory whose package.json declares
         * workspaces), so the default means the same folder whether the backend runs from
         * the repository root or, as in development, from `packages/backend`.
         * @default data/gitops
         */
        directory?: string;
      };
      /**
       * The cluster a namespace goes to when its spec names none, such as
       * `eu-central-general`. Without it, every namespace must name its cluster. With
       * `direct` delivery it must be one of `clusters`.
       */
      defaultCluster?: string;
      /**
       * Pod Security Standards version the namespaces pin for `enforce`, `audit` and `warn`
       * (all at level `restricted`), such as `v1.33`. Use the minor version of the oldest
       * cluster, and raise it deliberately: a newer version can reject pods that passed.
       * @default v1.33
       */
      podSecurityVersion?: string;
      /**
       * Prefix of the Kubernetes group names teams have, as the clusters' authenticator
       * reports them (for example the API server's `--oidc-groups-prefix`, such as `oidc:`).
       * The team `checkout` of the organization `acme` is then bound as the group
       * `oidc:acme-checkout`: its catalog group name, prefixed.
       * @default ''
       */
      groupPrefix?: string;
      /**
       * What every team namespace gets until per-team quotas exist. Quantities are
       * Kubernetes quantities: `500m` or `2` CPUs, `512Mi` or `8Gi` of memory.
       */
      namespaceDefaults?: {
        /** The namespace's ResourceQuota: the most all its pods together may claim. */
        quota?: {
          /**
           * Sum of the CPU requests.
           * @default '4'
           */
          requestsCpu?: string | number;
          /**
           * Sum of the memory requests.
           * @default 8Gi
           */
          requestsMemory?: string;
          /**
           * Sum of the CPU limits.
           * @default '8'
           */
          limitsCpu?: string | number;
          /**
           * Sum of the memory limits.
           * @default 16Gi
           */
          limitsMemory?: string;
          /**
           * Most pods at once.
           * @default 50
           */
          pods?: number;
          /**
           * NVIDIA GPUs (`requests.nvidia.com/gpu`) the namespace may request; `0` forbids
           * them, so that no team takes a GPU node's devices without being granted them.
           * @default 0
           */
          gpus?: number;
        };
        /**
         * The namespace's LimitRange: requests and limits a container gets when its pod spec
         * sets none. The quota makes them mandatory, so without these defaults such pods
         * would be refused.
         */
        containerDefaults?: {
          /** Requests of a container that sets none. */
          defaultRequest?: {
            /**
             * CPU request.
             * @default 100m
             */
            cpu?: string | number;
            /**
             * Memory request.
             * @default 128Mi
             */
            memory?: string;
          };
          /** Limits of a container that sets none. */
          defaultLimit?: {
            /**
             * CPU limit.
             * @default 500m
             */
            cpu?: string | number;
            /**
             * Memory limit.
             * @default 512Mi
             */
            memory?: string;
          };
        };
      };
    };
  };
}
