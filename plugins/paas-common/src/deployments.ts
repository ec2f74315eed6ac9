import { z } from 'zod';
import {
  clusterLabelsSchema,
  ClusterResources,
  gpuTypeSchema,
  MAX_CLUSTER_CAPACITY,
} from './clusters';
import { dnsLabelSchema } from './names';

/**
 * Where a deployment is:
 * - `pending-approval`: policy asked for an approval before it may queue;
 * - `queued`: waiting for quota and a cluster with room, in priority order;
 * - `admitted`: quota reserved and capacity allocated on `cluster`;
 * - `running`: applied to the cluster;
 * - `stopped`: stopped by a user, holding nothing; it can be started again;
 * - `failed`: could not be applied, or was rejected, holding nothing.
 * A preempted deployment goes back to `queued`, keeping its place; its events say why.
 * @public
 */
export const DEPLOYMENT_STATES = [
  'pending-approval',
  'queued',
  'admitted',
  'running',
  'stopped',
  'failed',
] as const;

/** A deployment's state. @public */
export type DeploymentState = (typeof DEPLOYMENT_STATES)[number];

/** States in which a deployment holds quota and cluster capacity. @public */
export const PLACED_DEPLOYMENT_STATES: readonly DeploymentState[] = [
  'admitted',
  'running',
];

/** The most replicas one deployment may ask for. @public */
export const MAX_DEPLOYMENT_REPLICAS = 1000;

/** The most one replica may ask for, per dimension. @public */
export const MAX_REPLICA_REQUEST = {
  cpuMillicores: 1_000_000,
  memoryMib: 4_000_000,
  gpus: 64,
} as const;

/** A container image reference such as `ghcr.io/acme/checkout:1.4.2`. @public */
export const containerImageSchema = z
  .string()
  .min(1)
  .max(512)
  .regex(
    /^[a-z0-9]+([._\-/:][a-z0-9]+)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$/,
    {
      message:
        'must be a container image reference such as registry.example.com/team/app:1.0',
    },
  );

/** Body of `POST /organizations/:org/deployments`. @public */
export const submitDeploymentRequestSchema = z
  .object({
    team: dnsLabelSchema,
    name: dnsLabelSchema,
    image: containerImageSchema,
    replicas: z.number().int().min(1).max(MAX_DEPLOYMENT_REPLICAS).default(1),
    resources: z
      .object({
        cpuMillicores: z
          .number()
          .int()
          .min(1)
          .max(MAX_REPLICA_REQUEST.cpuMillicores),
        memoryMib: z.number().int().min(1).max(MAX_REPLICA_REQUEST.memoryMib),
        gpus: z.number().int().min(0).max(MAX_REPLICA_REQUEST.gpus).default(0),
      })
      .strict()
      .describe('What each replica requests'),
    gpuType: gpuTypeSchema.optional(),
    priorityClass: z
      .string()
      .regex(/^[a-z][-a-z0-9]{0,62}$/, {
        message: 'must be the name of a configured priority class',
      })
      .optional(),
    placement: clusterLabelsSchema
      .default({})
      .describe('Labels a cluster must have, such as environment: production'),
    reason: z
      .string()
      .trim()
      .max(1000)
      .optional()
      .describe('Why, shown to approvers when policy asks for an approval'),
    writableRootFilesystem: z
      .boolean()
      .optional()
      .describe(
        'Lets the container write to its root filesystem; by default it is read-only, with a scratch /tmp',
      ),
  })
  .strict()
  .refine(d => !d.gpuType || d.resources.gpus > 0, {
    message: 'a gpuType needs resources.gpus above 0',
    path: ['gpuType'],
  })
  .refine(
    d =>
      Object.values(deploymentTotals(d)).every(
        total => total <= MAX_CLUSTER_CAPACITY,
      ),
    {
      message: `replicas times each request must stay within ${MAX_CLUSTER_CAPACITY}`,
      path: ['replicas'],
    },
  );

/** A validated deployment submission. @public */
export type SubmitDeploymentRequest = z.output<
  typeof submitDeploymentRequestSchema
>;

/** What happened to a deployment, in order. @public */
export interface DeploymentEvent {
  id: number;
  deploymentId: string;
  /** Such as `submitted`, `admitted`, `preempted`, `requeued`, `stopped`. */
  type: string;
  message: string;
  actor?: string;
  createdAt: string;
}

/** Where a queued deployment stands. @public */
export interface DeploymentQueueStatus {
  /** 1 for the next deployment the scheduler considers. */
  position: number;
  /** Queued deployments in total. */
  length: number;
  /**
   * Seconds until admission, as a range, from the rate the scheduler admitted deployments
   * over the last hour; absent when fewer than 5 were admitted, so no honest estimate exists.
   */
  estimatedWait?: { minSeconds: number; maxSeconds: number };
  /** Why the scheduler could not admit it on its last attempt. */
  waitingFor?: string;
}

/** A container deployment scheduled onto a cluster. @public */
export interface Deployment {
  id: string;
  organization: string;
  team: string;
  name: string;
  image: string;
  replicas: number;
  /** What each replica requests. */
  resources: ClusterResources;
  gpuType?: string;
  priorityClass: string;
  priority: number;
  placement: Record<string, string>;
  /** True when the container may write to its root filesystem; otherwise it is read-only. */
  writableRootFilesystem?: boolean;
  state: DeploymentState;
  /** Set while admitted or running. */
  cluster?: string;
  /** Times it was preempted and requeued. */
  preemptions: number;
  /** The approval it waits for, while `pending-approval`. */
  approvalId?: string;
  /** Why it is queued or failed, as the scheduler last saw it. */
  reason?: string;
  queue?: DeploymentQueueStatus;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

/** Answer of `GET /priority-classes`: the configured classes, highest first. @public */
export interface PriorityClasses {
  default: string;
  items: Array<{ name: string; priority: number }>;
}

/** What a deployment asks for in total: per-replica requests times replicas. @public */
export function deploymentTotals(d: {
  replicas: number;
  resources: ClusterResources;
}): ClusterResources {
  return {
    cpuMillicores: d.replicas * d.resources.cpuMillicores,
    memoryMib: d.replicas * d.resources.memoryMib,
    gpus: d.replicas * d.resources.gpus,
  };
}
