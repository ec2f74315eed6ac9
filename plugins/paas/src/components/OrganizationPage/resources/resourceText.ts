import type {
  ManagedResource,
  ResourceCondition,
  ResourcePhase,
} from '@paasport/plugin-paas-common';
import { describeDuration, resourceKindName } from '../../common';

/** Phases in which the reconciler is still working on a resource without anyone's help. */
export const CHANGING_PHASES: ResourcePhase[] = ['provisioning', 'deleting'];

/** Phases from which a resource can still be deleted. */
export const DELETABLE_PHASES: ResourcePhase[] = [
  'pending-approval',
  'provisioning',
  'ready',
  'failed',
];

/** Outputs worth a glance in the table, with their labels, in this order. */
const TEXT_OUTPUTS: [key: string, label: string][] = [
  ['arn', 'ARN'],
  ['endpoint', 'Endpoint'],
  ['queueUrl', 'Queue URL'],
  ['cluster', 'Cluster'],
];

/** The outputs shown as links: console links and the like. */
const LINK_OUTPUT = /console|link/i;

/** One output as the table shows it: text to read or copy, or a link to follow. */
export type ShownOutput =
  | { key: string; label: string; text: string }
  | { key: string; label: string; href: string };

function linkLabel(key: string): string {
  if (/console/i.test(key)) {
    return 'Console';
  }
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * The outputs a person looks for first: ARN, endpoint or queue URL as text, then links such as
 * the AWS console. Only http(s) addresses become links; anything else stays text.
 */
export function keyOutputs(outputs: Record<string, string>): ShownOutput[] {
  const texts: ShownOutput[] = TEXT_OUTPUTS.filter(([key]) => outputs[key]).map(
    ([key, label]) => ({ key, label, text: outputs[key] }),
  );
  const links: ShownOutput[] = Object.entries(outputs)
    .filter(([key, value]) => LINK_OUTPUT.test(key) && value)
    .map(([key, value]) =>
      /^https?:\/\//i.test(value)
        ? { key, label: linkLabel(key), href: value }
        : { key, label: linkLabel(key), text: value },
    );
  return [...texts, ...links];
}

/** The conditions that do not hold: why a resource is not ready, or not quite right. */
export function unmetConditions(
  resource: Pick<ManagedResource, 'conditions'>,
): ResourceCondition[] {
  return resource.conditions.filter(condition => condition.status === 'False');
}

/** The condition that the phase already says; every other condition reports one setting. */
const READY_CONDITION = 'Ready';

/** How each condition status reads: only `True` is something the provider confirmed. */
const CONDITION_STATUS_WORDS: Record<ResourceCondition['status'], string> = {
  True: 'confirmed',
  False: 'not met',
  Unknown: 'unverified',
};

/** The settings that are not met, then those nobody could confirm; `Ready` is left out. */
export function doubtfulSettings(
  conditions: ResourceCondition[],
): ResourceCondition[] {
  const settings = conditions.filter(c => c.type !== READY_CONDITION);
  return [
    ...settings.filter(c => c.status === 'False'),
    ...settings.filter(c => c.status === 'Unknown'),
  ];
}

function countOf(count: number, what: string): string {
  return `${count} ${count === 1 ? 'setting' : 'settings'} ${what}`;
}

/**
 * How many settings are not met and how many are unverified, such as
 * `1 setting not met, 4 settings unverified`; undefined when every setting was confirmed.
 */
export function describeDoubtfulSettings(
  conditions: ResourceCondition[],
): string | undefined {
  const doubtful = doubtfulSettings(conditions);
  const unmet = doubtful.filter(c => c.status === 'False').length;
  const unverified = doubtful.length - unmet;
  const parts = [
    ...(unmet ? [countOf(unmet, CONDITION_STATUS_WORDS.False)] : []),
    ...(unverified
      ? [countOf(unverified, CONDITION_STATUS_WORDS.Unknown)]
      : []),
  ];
  return parts.length ? parts.join(', ') : undefined;
}

/** One condition in words: `Encrypted: unverified — <its message, or else its reason>`. */
export function describeCondition(condition: ResourceCondition): string {
  return `${condition.type}: ${CONDITION_STATUS_WORDS[condition.status]} — ${
    condition.message ?? condition.reason
  }`;
}

/** How long ago something was created, in rounded words, such as `3 days`. */
export function ageOf(createdAt: string, now: number = Date.now()): string {
  const created = Date.parse(createdAt);
  if (Number.isNaN(created)) {
    return '';
  }
  return describeDuration(Math.max(0, (now - created) / 1000));
}

/** `team/name`, how people name a resource within an organization. */
export function resourceName(
  resource: Pick<ManagedResource, 'team' | 'name'>,
): string {
  return `${resource.team}/${resource.name}`;
}

/** What deleting a resource will do to the real one, as its deletion policy says. */
export function describeDeletion(
  resource: Pick<
    ManagedResource,
    'kind' | 'externalName' | 'phase' | 'deletionPolicy'
  >,
): string {
  const real = `${resourceKindName(resource.kind)} ${resource.externalName}`;
  if (resource.deletionPolicy === 'protect') {
    return `Its deletion policy is protect: Paasport refuses to delete ${real}. Change the policy first.`;
  }
  if (resource.phase === 'pending-approval') {
    return `It still waits for an approval, so nothing was created yet: deleting it withdraws the request.`;
  }
  if (resource.deletionPolicy === 'orphan') {
    return `Its deletion policy is orphan: ${real} is left in place with its data, Paasport stops managing it and its quota is released. Remove it yourself when nobody needs it.`;
  }
  return `Its deletion policy is delete: Paasport deletes ${real}, with its data, and releases its quota. This cannot be undone.`;
}
