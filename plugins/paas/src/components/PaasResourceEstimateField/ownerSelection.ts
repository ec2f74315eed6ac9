import type { PaasResourceEstimateUiOptions } from './schema';

/** Whose quota to show: a catalog group to resolve, or an organization and team as typed. */
export type OwnerSelection =
  | { type: 'group'; ref: string }
  | { type: 'team'; organization: string; team: string };

function textValue(
  formData: Record<string, unknown>,
  field: string | undefined,
): string | undefined {
  const value = field ? formData[field] : undefined;
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

/**
 * The owner the rest of the form names, through the fields the template points at; undefined
 * while those fields are still empty.
 */
export function readOwnerSelection(
  formData: Record<string, unknown>,
  options: PaasResourceEstimateUiOptions,
): OwnerSelection | undefined {
  if (options.ownerField) {
    const ref = textValue(formData, options.ownerField);
    return ref ? { type: 'group', ref } : undefined;
  }
  const organization = textValue(formData, options.organizationField);
  const team = textValue(formData, options.teamField);
  return organization && team
    ? { type: 'team', organization, team }
    : undefined;
}

/** What the person filling in the form should fill in for the quota to show. */
export function ownerPrompt(options: PaasResourceEstimateUiOptions): string {
  if (options.ownerField) {
    return 'Choose the owner to see the quota left for its team.';
  }
  if (options.organizationField && options.teamField) {
    return 'Fill in the organization and the team to see the quota left.';
  }
  return 'The template names no owner field (ui:options ownerField, or organizationField and teamField), so no quota can be shown.';
}
