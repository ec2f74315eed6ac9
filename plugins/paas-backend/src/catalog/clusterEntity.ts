import { Entity } from '@backstage/catalog-model';
import {
  RegisterClusterRequest,
  registerClusterRequestSchema,
} from '@paasport/plugin-paas-common';

/** The catalog entities that describe clusters. */
export const CLUSTER_ENTITY_FILTER = {
  kind: 'resource',
  'spec.type': 'kubernetes-cluster',
};

/** What the sync reads of a cluster entity. */
export const CLUSTER_ENTITY_FIELDS = [
  'kind',
  'metadata.namespace',
  'metadata.name',
  'metadata.title',
  'metadata.labels',
  'metadata.annotations',
];

/** The annotations a cluster entity gives its capacity, GPU type and state in. */
export const CLUSTER_ANNOTATIONS = {
  cpuMillicores: 'paasport.io/capacity-cpu-millicores',
  memoryMib: 'paasport.io/capacity-memory-mib',
  gpus: 'paasport.io/capacity-gpus',
  gpuType: 'paasport.io/gpu-type',
  state: 'paasport.io/state',
} as const;

/** A cluster as its entity describes it: the name, title, capacity, GPU type, labels and state. */
export type ClusterDescription = RegisterClusterRequest & { title: string };

/** The cluster an entity describes, or what is wrong with the entity, field by field. */
export type ParsedClusterEntity =
  | { success: true; cluster: ClusterDescription }
  | { success: false; problems: string[] };

/** Reads and validates the cluster a `kubernetes-cluster` Resource entity describes. */
export function parseClusterEntity(entity: Entity): ParsedClusterEntity {
  const annotations = entity.metadata.annotations ?? {};
  const result = registerClusterRequestSchema.safeParse({
    name: entity.metadata.name,
    title: entity.metadata.title,
    capacity: {
      cpuMillicores: amount(annotations[CLUSTER_ANNOTATIONS.cpuMillicores]),
      memoryMib: amount(annotations[CLUSTER_ANNOTATIONS.memoryMib]),
      gpus: amount(annotations[CLUSTER_ANNOTATIONS.gpus]),
    },
    gpuType: annotations[CLUSTER_ANNOTATIONS.gpuType],
    labels: entity.metadata.labels ?? {},
    state: annotations[CLUSTER_ANNOTATIONS.state],
  });
  if (!result.success) {
    return {
      success: false,
      problems: result.error.issues.map(issue => {
        const field = sourceField(issue.path);
        // A record key's own message (such as what label keys must be) is one level down.
        const message =
          issue.code === 'invalid_key'
            ? issue.issues.map(inner => inner.message).join('; ')
            : issue.message;
        return `${field}${shown(entity, field)}: ${message}`;
      }),
    };
  }
  const cluster = result.data;
  return {
    success: true,
    cluster: { ...cluster, title: cluster.title ?? cluster.name },
  };
}

/**
 * Annotation values are strings; a number-like one becomes a number so the schema can judge
 * its range, anything else stays a string for the schema to refuse.
 */
function amount(value: string | undefined): number | string | undefined {
  return value !== undefined && /^\s*-?\d+(\.\d+)?\s*$/.test(value)
    ? Number(value)
    : value;
}

/** Where in the entity a field of the register request comes from. */
function sourceField(path: PropertyKey[]): string {
  const [head, key] = path;
  switch (head) {
    case 'name':
    case 'title':
      return `metadata.${head}`;
    case 'capacity':
      return key !== undefined && key in CLUSTER_ANNOTATIONS
        ? CLUSTER_ANNOTATIONS[key as keyof typeof CLUSTER_ANNOTATIONS]
        : 'capacity annotations';
    case 'gpuType':
    case 'state':
      return CLUSTER_ANNOTATIONS[head];
    case 'labels':
      return key === undefined
        ? 'metadata.labels'
        : `metadata.labels.${String(key)}`;
    default:
      return path.map(String).join('.') || 'entity';
  }
}

/** The offending annotation's value, quoted, so a warning shows what to fix. */
function shown(entity: Entity, field: string): string {
  if (!(Object.values(CLUSTER_ANNOTATIONS) as string[]).includes(field)) {
    return '';
  }
  const value = entity.metadata.annotations?.[field];
  return value === undefined ? ' (missing)' : ` ('${value}')`;
}
