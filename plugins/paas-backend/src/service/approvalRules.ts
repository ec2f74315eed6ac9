import { Config } from '@backstage/config';
import {
  Approver,
  APPROVERS,
  isResourceKind,
  RESOURCE_KINDS,
} from '@paasport/plugin-paas-common';

/** Actions approval rules can apply to. */
export const APPROVAL_ACTIONS = [
  'deployment.create',
  'resource.create',
] as const;

export type ApprovalAction = (typeof APPROVAL_ACTIONS)[number];

/** What a rule looks at when a request comes in. */
export interface ApprovalFacts {
  organization: string;
  /**
   * Labels a deployment asks its cluster to have; for a namespace, its `environment`.
   */
  placement: Record<string, string>;
  /** Empty for resources. */
  priorityClass: string;
  /** The resource kind, such as `aws:rds-instance`; absent for deployments. */
  kind?: string;
  gpus: number;
  /** Estimated monthly cost from `paas.costs.rates`. */
  monthlyCost: number;
}

/**
 * One rule from `paas.policy.approvals`: a request for `action` that matches every condition
 * given waits for `approver`. A rule without conditions matches every request.
 */
export interface ApprovalRule {
  name: string;
  action: ApprovalAction;
  approver: Approver;
  /** Only these organizations; all when absent. */
  organizations?: string[];
  /** Placement labels that must all be asked for, such as `{ environment: production }`. */
  placement?: Record<string, string>;
  priorityClasses?: string[];
  /** Only requests for these resource kinds, such as `aws:rds-instance`. */
  kinds?: string[];
  /** Matches when the request asks for at least this many GPUs in total. */
  gpusAtLeast?: number;
  /** Matches when the estimated monthly cost is above this. */
  monthlyCostAbove?: number;
}

function readKinds(kinds: string[] | undefined, where: string) {
  const unknown = kinds?.filter(kind => !isResourceKind(kind));
  if (unknown?.length) {
    throw new Error(
      `${where}.kinds has unknown resource kinds ${unknown.join(
        ', ',
      )}; known are ${RESOURCE_KINDS.join(', ')}`,
    );
  }
  return kinds;
}

/** Reads `paas.policy.approvals`, failing at startup with the rule and key that are wrong. */
export function readApprovalRules(config: Config): ApprovalRule[] {
  const rules = config.getOptionalConfigArray('paas.policy.approvals') ?? [];
  return rules.map((rule, index) => {
    const where = `paas.policy.approvals[${index}]`;
    const action = rule.getString('action');
    if (!(APPROVAL_ACTIONS as readonly string[]).includes(action)) {
      throw new Error(
        `${where}.action must be one of ${APPROVAL_ACTIONS.join(
          ', ',
        )}, not '${action}'`,
      );
    }
    const approver = rule.getOptionalString('approver') ?? 'admin';
    if (!(APPROVERS as readonly string[]).includes(approver)) {
      throw new Error(
        `${where}.approver must be one of ${APPROVERS.join(
          ', ',
        )}, not '${approver}'`,
      );
    }
    const placementConfig = rule.getOptionalConfig('placement');
    const gpusAtLeast = rule.getOptionalNumber('gpusAtLeast');
    const monthlyCostAbove = rule.getOptionalNumber('monthlyCostAbove');
    for (const [key, value] of [
      ['gpusAtLeast', gpusAtLeast],
      ['monthlyCostAbove', monthlyCostAbove],
    ] as const) {
      if (value !== undefined && !(value >= 0)) {
        throw new Error(`${where}.${key} must be a number of at least 0`);
      }
    }
    return {
      name: rule.getOptionalString('name') ?? `rule ${index + 1}`,
      action: action as ApprovalAction,
      approver: approver as Approver,
      organizations: rule.getOptionalStringArray('organizations'),
      placement: placementConfig
        ? Object.fromEntries(
            placementConfig
              .keys()
              .map(key => [key, placementConfig.getString(key)]),
          )
        : undefined,
      priorityClasses: rule.getOptionalStringArray('priorityClasses'),
      kinds: readKinds(rule.getOptionalStringArray('kinds'), where),
      gpusAtLeast,
      monthlyCostAbove,
    };
  });
}

/** Reads `paas.policy.allowSelfApproval`: requesters may not decide their own unless it is on. */
export function readAllowSelfApproval(config: Config): boolean {
  return config.getOptionalBoolean('paas.policy.allowSelfApproval') ?? false;
}

/**
 * The first rule that asks for an approval of this request, or undefined when it may go
 * ahead. Rules that need the platform team come first, so the stricter approver wins.
 */
export function matchApprovalRule(
  rules: ApprovalRule[],
  action: ApprovalAction,
  facts: ApprovalFacts,
): ApprovalRule | undefined {
  const matching = rules.filter(
    rule =>
      rule.action === action &&
      (!rule.organizations ||
        rule.organizations.includes(facts.organization)) &&
      Object.entries(rule.placement ?? {}).every(
        ([key, value]) => facts.placement[key] === value,
      ) &&
      (!rule.priorityClasses ||
        rule.priorityClasses.includes(facts.priorityClass)) &&
      (!rule.kinds || (!!facts.kind && rule.kinds.includes(facts.kind))) &&
      (rule.gpusAtLeast === undefined || facts.gpus >= rule.gpusAtLeast) &&
      (rule.monthlyCostAbove === undefined ||
        facts.monthlyCost > rule.monthlyCostAbove),
  );
  return matching.find(rule => rule.approver === 'platform') ?? matching[0];
}

/** Why a rule asks for approval, in words for the requester and the approver. */
export function describeApprovalRule(rule: ApprovalRule, facts: ApprovalFacts) {
  const because: string[] = [];
  if (rule.placement) {
    because.push(
      `it is placed on ${Object.entries(rule.placement)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ')}`,
    );
  }
  if (rule.priorityClasses) {
    because.push(`it asks for priority class ${facts.priorityClass}`);
  }
  if (rule.kinds) {
    because.push(`it is a ${facts.kind}`);
  }
  if (rule.gpusAtLeast !== undefined) {
    because.push(
      `it asks for ${facts.gpus} GPUs (${rule.gpusAtLeast} or more need approval)`,
    );
  }
  if (rule.monthlyCostAbove !== undefined) {
    because.push(
      `it is estimated at ${facts.monthlyCost} a month (above ${rule.monthlyCostAbove})`,
    );
  }
  const who =
    rule.approver === 'platform'
      ? 'the platform team'
      : 'an organization admin';
  return `Policy '${rule.name}' asks ${who} to approve${
    because.length ? ` because ${because.join(' and ')}` : ''
  }`;
}

/** What approvers read: the requester's own reason, if any, then why policy asks. */
export function approvalReason(
  rule: ApprovalRule,
  facts: ApprovalFacts,
  requesterReason?: string,
): string {
  const why = describeApprovalRule(rule, facts);
  return requesterReason ? `${requesterReason} (${why})` : why;
}
