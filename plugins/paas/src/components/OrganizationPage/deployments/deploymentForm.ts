import {
  SubmitDeploymentRequest,
  submitDeploymentRequestSchema,
} from '@paasport/plugin-paas-common';
import { schemaIssueMessage, parseLabels } from '../../common/labelText';

/** The fields of the deployment form. */
export type Field =
  | 'team'
  | 'name'
  | 'image'
  | 'replicas'
  | 'cpuMillicores'
  | 'memoryMib'
  | 'gpus'
  | 'gpuType'
  | 'priorityClass'
  | 'placement'
  | 'reason';

/** What was typed into each field. */
export type FormState = Record<Field, string>;

/** A new form: one replica, no GPUs, everything else empty. */
export const emptyForm: FormState = {
  team: '',
  name: '',
  image: '',
  replicas: '1',
  cpuMillicores: '',
  memoryMib: '',
  gpus: '0',
  gpuType: '',
  priorityClass: '',
  placement: '',
  reason: '',
};

/** A typed number; undefined for empty text, NaN (which the schema refuses) for non-numbers. */
export function toNumber(text: string): number | undefined {
  return text.trim() ? Number(text) : undefined;
}

/** The form as the schema reads it; empty optional fields are left out. */
function toInput(form: FormState, placement: Record<string, string>) {
  const gpuType = form.gpuType.trim();
  const reason = form.reason.trim();
  return {
    team: form.team,
    name: form.name.trim(),
    image: form.image.trim(),
    replicas: toNumber(form.replicas),
    resources: {
      cpuMillicores: toNumber(form.cpuMillicores),
      memoryMib: toNumber(form.memoryMib),
      gpus: toNumber(form.gpus),
    },
    ...(gpuType ? { gpuType } : {}),
    ...(form.priorityClass ? { priorityClass: form.priorityClass } : {}),
    placement,
    ...(reason ? { reason } : {}),
  };
}

/** Checks the form with the schema the backend applies; the request when valid, else errors. */
export function validateDeploymentForm(form: FormState): {
  request?: SubmitDeploymentRequest;
  errors: Partial<Record<Field, string>>;
} {
  const errors: Partial<Record<Field, string>> = {};
  const placement = parseLabels(form.placement);
  if (placement.error !== undefined) {
    errors.placement = placement.error;
  }
  const result = submitDeploymentRequestSchema.safeParse(
    toInput(form, placement.labels ?? {}),
  );
  if (result.success) {
    return { request: placement.labels ? result.data : undefined, errors };
  }
  for (const issue of result.error.issues) {
    const [first, second] = issue.path;
    const field = (first === 'resources' ? second : first) as Field;
    const message =
      first === 'placement' && second !== undefined
        ? `${String(second)}: ${schemaIssueMessage(issue)}`
        : schemaIssueMessage(issue);
    if (!errors[field]) {
      errors[field] = message;
    }
  }
  return { errors };
}
