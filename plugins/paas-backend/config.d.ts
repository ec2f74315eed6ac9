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
      /**
       * How often one user may try to redeem codes. The counts live in Backstage's
       * `backend.rateLimit.store`: with `type: redis` all replicas share them and they survive
       * restarts (while Redis is unreachable, redeeming fails with 500); without a store (or
       * with `type: memory`) each replica counts on its own.
       */
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
    /** Registers clusters from the catalog's `kubernetes-cluster` Resource entities. */
    catalogSync?: {
      /**
       * How often the catalog is read (on one replica): a duration object, or a string such as
       * `PT5M` or `5m`. Clusters registered this way follow their entity's title, capacity,
       * GPU type and labels: change those in the entity. Their state is the platform team's
       * (cordon and ready through the API); an entity can only take its cluster out of
       * service (`paasport.io/state: cordoned` or `draining`), and a cluster whose entity left
       * the catalog is cordoned until someone readies it.
       * @default { minutes: 5 }
       */
      frequency?: HumanDuration | string;
    };
    /** The deployment scheduler. */
    scheduler?: {
      /**
       * Priority class names and their numbers; a higher number is admitted first and, with
       * `preemption: lower-priority`, may requeue lower ones of the same organization.
       * @default { low: 50, normal: 100, high: 200 }
       */
      priorityClasses?: { [name: string]: number };
      /**
       * The class of deployments that name none; the first class when classes are configured.
       * @default normal
       */
      defaultPriorityClass?: string;
      /**
       * `bin-pack` places on the fullest cluster that fits, `spread` on the emptiest.
       * @default bin-pack
       */
      strategy?: 'bin-pack' | 'spread';
      /**
       * `never`; `lower-priority`: a deployment that fits nowhere requeues deployments of its
       * own organization with a lower priority class, fewest first; `reclaim-borrowed`: that,
       * and an organization below its fair share of the clusters (by `fairShare.weights`)
       * may requeue deployments of no higher priority from organizations above theirs, as
       * long as those stay at or above it. Victims keep their place in the queue.
       * @default never
       */
      preemption?: 'never' | 'lower-priority' | 'reclaim-borrowed';
      /** Queued deployments gain priority while they wait, so none waits forever. */
      aging?: {
        /** @default { minutes: 1 } */
        interval?: HumanDuration | string;
        /** Priority gained per interval. @default 5 */
        step?: number;
        /** The most priority aging adds. @default 100 */
        max?: number;
      };
      /**
       * After this long in the queue, a deployment that does not fit holds the clusters it
       * could run on: nothing of lower priority is placed there until it is admitted.
       * @default { minutes: 15 }
       */
      starvationAfter?: HumanDuration | string;
      /** Fair sharing between organizations of equal priority under saturation. */
      fairShare?: {
        /** Weight per organization name; 1 for those not listed. */
        weights?: { [organization: string]: number };
      };
      /** The most queued deployments one cycle considers. @default 20000 */
      maxQueueScan?: number;
      /**
       * How often the global safety-net cycle runs (on one replica); submits, stops,
       * deletes, quota and capacity changes trigger cycles right away.
       * @default { seconds: 30 }
       */
      frequency?: HumanDuration | string;
    };
    /** The plugin's own database connections (PostgreSQL; SQLite ignores these). */
    database?: {
      /**
       * The longest a single statement may run before PostgreSQL cancels it, so a hung query
       * fails instead of stalling the scheduler or the reconciler: a duration object, or a
       * string such as `PT30S` or `30s`. Connections also get TCP keepalive.
       * @default { seconds: 30 }
       */
      statementTimeout?: HumanDuration | string;
    };
    /** Prices that estimates, cost views and approval thresholds use. */
    costs?: {
      /** Monthly prices in whole currency units. */
      rates?: {
        /** One CPU core for a month. @default 25 */
        cpuCoreMonth?: number;
        /** One GiB of memory for a month. @default 3 */
        memoryGibMonth?: number;
        /** One GPU for a month. @default 1500 */
        gpuMonth?: number;
      };
      /**
       * Estimated monthly price of one managed resource per kind, such as
       * `aws:rds-instance: 300`. Kinds left out keep their defaults: S3 bucket 5, DynamoDB
       * table 10, SQS queue 1, Lambda function 5, RDS instance 150, namespace 0.
       */
      resources?: { [kind: string]: number };
    };
    /** The resource reconciler, which brings managed resources about through providers. */
    reconciler?: {
      /**
       * How often every replica looks for due resources, as a safety net; a request wakes
       * the reconciler at once. A duration such as `{ seconds: 15 }`.
       * @default { seconds: 15 }
       */
      frequency?: { milliseconds?: number; seconds?: number; minutes?: number };
      /**
       * How often a ready resource is applied again, to repair drift.
       * @default { minutes: 10 }
       */
      resyncInterval?: {
        milliseconds?: number;
        seconds?: number;
        minutes?: number;
        hours?: number;
      };
      /**
       * Failed attempts (errors, not a still-pending resource) after which a resource is
       * marked `failed`; a user can retry it. Attempts back off exponentially up to 5 min.
       * @default 8
       */
      maxAttempts?: number;
    };
    policy?: {
      /**
       * Requests that wait for an approval. A request for `action` matching every condition
       * a rule gives waits for `approver` (`admin`: an admin of the organization;
       * `platform`: the platform team). When several rules match, a platform rule wins.
       */
      approvals?: Array<{
        /** Shown to requesters and approvers. */
        name?: string;
        action: 'deployment.create' | 'resource.create';
        /** @default admin */
        approver?: 'admin' | 'platform';
        /** Only requests of these organizations. */
        organizations?: string[];
        /** Placement labels the request asks for, such as `environment: production`. */
        placement?: { [label: string]: string };
        priorityClasses?: string[];
        /** Resource requests of these kinds, such as `aws:rds-instance`. */
        kinds?: string[];
        /** Requests for at least this many GPUs in total. */
        gpusAtLeast?: number;
        /**
         * Requests estimated above this monthly cost (see `paas.costs.rates` and
         * `paas.costs.resources`).
         */
        monthlyCostAbove?: number;
      }>;
      /**
       * Whether whoever requested an approval may decide it themselves, such as an admin
       * approving their own production deployment. Off by default: someone else must decide.
       * Small teams with a single admin may turn it on.
       * @default false
       */
      allowSelfApproval?: boolean;
    };
  };
}
