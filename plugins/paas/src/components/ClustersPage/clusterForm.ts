import {
  MAX_CLUSTER_CAPACITY,
  RegisterClusterRequest,
  registerClusterRequestSchema,
} from '@paasport/plugin-paas-common';
import { parseLabels, schemaIssueMessage } from '../common/labelText';
import { describeDimension, DimensionUnit, parseAmount } from '../QuotaBar';

/** The fields of the register-cluster form. */
export type ClusterField =
  | 'name'
  | 'title'
  | 'cpuCores'
  | 'memoryGib'
  | 'gpus'
  | 'gpuType'
  | 'labels'
  | 'state';

/** What was typed into each field; CPU in cores and memory in GiB, as people size clusters. */
export type ClusterFormState = Record<ClusterField, string>;

/** A new form: no GPUs, ready, everything else empty. */
export const emptyClusterForm: ClusterFormState = {
  name: '',
  title: '',
  cpuCores: '',
  memoryGib: '',
  gpus: '0',
  gpuType: '',
  labels: '',
  state: 'ready',
};

/** How the capacity fields convert: cores to millicores, GiB to MiB, GPUs as they are. */
export const CAPACITY_UNITS = {
  cpuCores: describeDimension('cpu-millicores'),
  memoryGib: describeDimension('memory-mib'),
  gpus: describeDimension('gpus'),
} as const;

type CapacityField = keyof typeof CAPACITY_UNITS;

const CAPACITY_FIELDS: Record<string, CapacityField> = {
  cpuMillicores: 'cpuCores',
  memoryMib: 'memoryGib',
  gpus: 'gpus',
};

/**
 * A typed capacity in the stored unit (millicores, MiB, GPUs): undefined for empty text,
 * else the amount or why it is not one.
 */
export function readCapacity(
  text: string,
  unit: DimensionUnit,
): { amount?: number; error?: string } {
  if (!text.trim()) {
    return {};
  }
  const value = parseAmount(text, unit.wholeInput);
  if (value === undefined) {
    return {
      error: unit.wholeInput
        ? 'must be a whole number, 0 or more'
        : `must be a number of ${unit.inputUnit}, 0 or more`,
    };
  }
  const amount = unit.fromInput(value);
  if (amount > MAX_CLUSTER_CAPACITY) {
    return { error: `must be at most ${unit.format(MAX_CLUSTER_CAPACITY)}` };
  }
  return { amount };
}

/** Checks the form with the schema the backend applies; the request when valid, else errors. */
export function validateClusterForm(form: ClusterFormState): {
  request?: RegisterClusterRequest;
  errors: Partial<Record<ClusterField, string>>;
} {
  const errors: Partial<Record<ClusterField, string>> = {};
  const capacity: Partial<Record<CapacityField, number>> = {};
  for (const field of Object.keys(CAPACITY_UNITS) as CapacityField[]) {
    const { amount, error } = readCapacity(form[field], CAPACITY_UNITS[field]);
    if (error) {
      errors[field] = error;
    }
    capacity[field] = amount;
  }
  const labels = parseLabels(form.labels);
  if (labels.error !== undefined) {
    errors.labels = labels.error;
  }

  const title = form.title.trim();
  const gpuType = form.gpuType.trim();
  const result = registerClusterRequestSchema.safeParse({
    name: form.name.trim(),
    ...(title ? { title } : {}),
    capacity: {
      cpuMillicores: capacity.cpuCores,
      memoryMib: capacity.memoryGib,
      gpus: capacity.gpus,
    },
    ...(gpuType ? { gpuType } : {}),
    labels: labels.labels ?? {},
    state: form.state,
  });
  if (result.success) {
    return Object.keys(errors).length
      ? { errors }
      : { request: result.data, errors };
  }
  for (const issue of result.error.issues) {
    const [first, second] = issue.path;
    let field = first as ClusterField;
    let message = schemaIssueMessage(issue);
    if (first === 'capacity') {
      field = CAPACITY_FIELDS[String(second)];
    } else if (first === 'labels' && second !== undefined) {
      message = `${String(second)}: ${message}`;
    }
    if (field && !errors[field]) {
      errors[field] = message;
    }
  }
  return { errors };
}
