import { z } from 'zod';
import { dnsLabelSchema } from './names';

/**
 * What a cluster accepts: `ready` takes new deployments, `cordoned` keeps what runs on it but
 * takes nothing new, `draining` takes nothing new and is being emptied.
 * @public
 */
export const CLUSTER_STATES = ['ready', 'cordoned', 'draining'] as const;

/** A cluster's state. @public */
export type ClusterState = (typeof CLUSTER_STATES)[number];

/** Where a cluster was registered: through the API or from a catalog Resource. @public */
export type ClusterSource = 'api' | 'catalog';

/** The largest capacity of one dimension: what the databases' integer columns hold. @public */
export const MAX_CLUSTER_CAPACITY = 2_000_000_000;

/** At most this many labels per cluster. @public */
export const MAX_CLUSTER_LABELS = 32;

const amountSchema = z.number().int().min(0).max(MAX_CLUSTER_CAPACITY);

/** A GPU type such as `nvidia-a100`, as quota dimensions `gpus/<type>` name it. @public */
export const gpuTypeSchema = z
  .string()
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, {
    message:
      'must be lower-case letters, digits and dashes, such as nvidia-a100',
  });

/**
 * Labels such as `{ region: 'eu-west-1', environment: 'production' }`. Keys and values follow
 * Kubernetes label syntax without a prefix.
 * @public
 */
export const clusterLabelsSchema = z
  .record(
    z
      .string()
      .max(63)
      .regex(/^[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$/, {
        message:
          'label keys must be lower-case letters, digits, dashes, dots and underscores',
      }),
    z
      .string()
      .max(63)
      .regex(/^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/, {
        message:
          'label values must be letters, digits, dashes, dots and underscores',
      }),
  )
  .refine(labels => Object.keys(labels).length <= MAX_CLUSTER_LABELS, {
    message: `at most ${MAX_CLUSTER_LABELS} labels`,
  });

const capacityShape = {
  cpuMillicores: amountSchema,
  memoryMib: amountSchema,
  gpus: amountSchema,
};

/** Body of `POST /clusters`. @public */
export const registerClusterRequestSchema = z
  .object({
    name: dnsLabelSchema,
    title: z.string().trim().min(1).max(255).optional(),
    capacity: z
      .object({ ...capacityShape, gpus: amountSchema.default(0) })
      .strict(),
    gpuType: gpuTypeSchema.optional(),
    labels: clusterLabelsSchema.default({}),
    state: z.enum(CLUSTER_STATES).default('ready'),
  })
  .strict();

/** A validated `POST /clusters` body. @public */
export type RegisterClusterRequest = z.output<
  typeof registerClusterRequestSchema
>;

/**
 * Body of `PATCH /clusters/:name`: only what is given changes; `labels` replaces all labels
 * and a `gpuType` of null removes it.
 * @public
 */
export const updateClusterRequestSchema = z
  .object({
    title: z.string().trim().min(1).max(255).optional(),
    capacity: z.object(capacityShape).partial().strict().optional(),
    gpuType: gpuTypeSchema.nullable().optional(),
    labels: clusterLabelsSchema.optional(),
    state: z.enum(CLUSTER_STATES).optional(),
  })
  .strict()
  .refine(change => Object.keys(change).length > 0, {
    message: 'must change at least one field',
  });

/** A validated `PATCH /clusters/:name` body. @public */
export type UpdateClusterRequest = z.output<typeof updateClusterRequestSchema>;

/** Amounts of each schedulable dimension of a cluster. @public */
export interface ClusterResources {
  cpuMillicores: number;
  memoryMib: number;
  gpus: number;
}

/** Allocated share of each dimension, from 0 to 1; null where the cluster has none. @public */
export interface ClusterUtilization {
  cpuMillicores: number | null;
  memoryMib: number | null;
  gpus: number | null;
}

/** What the deployments of one organization hold on a cluster. @public */
export interface ClusterAllocation extends ClusterResources {
  organization: string;
}

/** A cluster deployments can be scheduled onto. @public */
export interface Cluster {
  name: string;
  title: string;
  capacity: ClusterResources;
  allocated: ClusterResources;
  free: ClusterResources;
  utilization: ClusterUtilization;
  /**
   * Per organization, what its admitted and running deployments hold, by organization name;
   * only the organizations the caller may read.
   */
  allocations?: ClusterAllocation[];
  gpuType?: string;
  labels: Record<string, string>;
  state: ClusterState;
  source: ClusterSource;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}
