import { describeDimension, formatNumber } from '../QuotaBar';
import type { QuotaLeft } from './quotaLeft';

/** A quota note as the field shows it: a heading, a sentence and how alarming it is. */
export interface QuotaNote {
  title: string;
  text: string;
  severity: 'success' | 'warning' | 'info';
}

/**
 * What a request that needs `needed` of a dimension means for the quota of `team`, in words:
 * "checkout has 0 of 20 S3 buckets left; this request needs 1."
 */
export function describeQuotaLeft(
  quota: QuotaLeft,
  needed: number,
  owner: { organization: string; team: string },
): QuotaNote {
  const unit = describeDimension(quota.dimension);
  const title = unit.label;
  const { organization, team } = owner;

  if (quota.source === 'none') {
    if (quota.dimension === 'budget-monthly') {
      return {
        title,
        severity: 'info',
        text: `${organization} sets no monthly budget, so this cost is not held against one.`,
      };
    }
    return {
      title,
      severity: 'info',
      text: `${organization} sets no quota for ${unit.label}; Paasport refuses this request until the platform team sets one.`,
    };
  }

  const need = quota.dimension.startsWith('count/')
    ? formatNumber(needed)
    : unit.format(needed);
  const left = `${formatNumber(quota.left)} of ${unit.format(
    quota.limit,
  )} left`;
  const where =
    quota.source === 'team'
      ? `${team} has ${left}`
      : `${team} draws on the shared pool of ${organization}, which has ${left}`;
  const fits = quota.left >= needed;
  return {
    title,
    severity: fits ? 'success' : 'warning',
    text: `${where}; this request needs ${need}.${
      fits ? '' : ' Paasport will refuse it unless the quota is raised.'
    }`,
  };
}
