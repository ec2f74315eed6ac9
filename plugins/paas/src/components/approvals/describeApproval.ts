import {
  Approval,
  QUOTA_INCREASE_SUBJECT,
  QuotaIncreaseSubject,
} from '@paasport/plugin-paas-common';
import { describeDimension } from '../QuotaBar';

/** The subject of a quota-increase approval, or undefined when it is not one or is malformed. */
export function quotaIncreaseSubject(
  approval: Pick<Approval, 'subjectType' | 'subject'>,
): QuotaIncreaseSubject | undefined {
  if (approval.subjectType !== QUOTA_INCREASE_SUBJECT) {
    return undefined;
  }
  const { dimension, limit } = approval.subject;
  if (typeof dimension !== 'string' || typeof limit !== 'number') {
    return undefined;
  }
  return { dimension, limit };
}

// "Memory" reads "memory" inside a sentence; "CPU", "GPUs" and "S3 buckets" keep their case.
function inSentence(label: string): string {
  return /^[A-Z][a-z]/.test(label)
    ? `${label[0].toLowerCase()}${label.slice(1)}`
    : label;
}

/**
 * What an approval asks for, in words: "Raise CPU to 96 cores" for a quota increase, or the
 * subject type for kinds of approval this plugin does not know yet.
 */
export function describeApproval(
  approval: Pick<Approval, 'subjectType' | 'subject'>,
): string {
  const quota = quotaIncreaseSubject(approval);
  if (quota) {
    const unit = describeDimension(quota.dimension);
    // counted kinds already carry their name in the unit: "Raise S3 buckets to 30"
    const amount =
      unit.inputUnit === unit.label
        ? String(unit.toInput(quota.limit))
        : unit.format(quota.limit);
    return `Raise ${inSentence(unit.label)} to ${amount}`;
  }
  if (approval.subjectType === QUOTA_INCREASE_SUBJECT) {
    return 'Raise a quota limit';
  }
  return `Request of type ${approval.subjectType}`;
}
