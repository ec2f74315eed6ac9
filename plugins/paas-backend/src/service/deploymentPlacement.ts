import { InputError } from '@backstage/errors';
import { ApprovalRule } from './approvalRules';

/**
 * The placement labels a deployment must state. Its environment, because it runs in its
 * team's namespace of that environment; and every label a deployment approval rule decides
 * by, because a rule only sees the labels asked for: a deployment that left `environment`
 * out could otherwise land on a production cluster past a rule for `environment: prod`.
 * Stated labels are selectors, so the cluster it lands on carries exactly those values.
 */
export function requiredPlacementLabels(rules: ApprovalRule[]): string[] {
  const keys = new Set(['environment']);
  for (const rule of rules) {
    if (rule.action === 'deployment.create') {
      Object.keys(rule.placement ?? {}).forEach(key => keys.add(key));
    }
  }
  return [...keys];
}

/** Throws an InputError naming the first required label the placement leaves out. */
export function requirePlacementLabels(
  placement: Record<string, string>,
  required: string[],
): void {
  for (const key of required) {
    if (placement[key] === undefined || placement[key] === '') {
      throw new InputError(
        key === 'environment'
          ? "Invalid deployment: placement.environment: required; a deployment runs in its team's namespace of one environment"
          : `Invalid deployment: placement.${key}: required, because approval rules decide by it`,
      );
    }
  }
}
