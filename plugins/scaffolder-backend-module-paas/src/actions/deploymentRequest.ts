import { InputError } from '@backstage/errors';
import {
  dnsLabelSchema,
  SubmitDeploymentRequest,
  submitDeploymentRequestSchema,
} from '@paasport/plugin-paas-common';
import { describeIssues, present } from './shared';

export const ACTION_ID = 'paas:deployment:create';

/** The action's input, as a template hands it over. */
export type DeploymentInput = {
  organization: string;
  team: string;
  name: string;
  image: string;
  replicas: number;
  cpuMillicores: number;
  memoryMib: number;
  gpus?: number;
  gpuType?: string;
  priorityClass?: string;
  placement?: Record<string, string | undefined>;
  reason?: string;
  writableRootFilesystem?: boolean;
};

/** Labels whose value a form left empty (an optional enum, say) are left out. */
function labels(
  placement: Record<string, string | undefined> | undefined,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(placement ?? {}).flatMap(([key, value]) => {
      const kept = typeof value === 'string' ? present(value) : value;
      return kept === undefined || kept === null ? [] : [[key, kept]];
    }),
  );
}

/**
 * Validates the action input with the backend's own schema, or throws an InputError naming
 * each bad field. Returns the organization and the body to submit.
 */
export function parseRequest(input: DeploymentInput): {
  organization: string;
  request: SubmitDeploymentRequest;
} {
  const organization = dnsLabelSchema.safeParse(input.organization);
  const result = submitDeploymentRequestSchema.safeParse({
    team: input.team,
    name: input.name,
    image: input.image,
    replicas: input.replicas,
    resources: {
      cpuMillicores: input.cpuMillicores,
      memoryMib: input.memoryMib,
      ...(input.gpus === undefined ? {} : { gpus: input.gpus }),
    },
    gpuType: present(input.gpuType),
    priorityClass: present(input.priorityClass),
    placement: labels(input.placement),
    reason: present(input.reason),
    // A form's unchecked box sends false; only an opt-out goes into the request.
    ...(input.writableRootFilesystem ? { writableRootFilesystem: true } : {}),
  });
  const problems = [
    ...(organization.success
      ? []
      : [
          describeIssues(organization.error).replace(
            /(^|; )input:/g,
            '$1organization:',
          ),
        ]),
    ...(result.success ? [] : [describeIssues(result.error)]),
  ];
  if (!result.success || problems.length > 0) {
    throw new InputError(
      `Invalid input to ${ACTION_ID}: ${problems.join('; ')}`,
    );
  }
  return { organization: input.organization, request: result.data };
}
