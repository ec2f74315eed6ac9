import type { OrganizationQuotas } from '@paasport/plugin-paas-common';
import { quotaLeft } from './quotaLeft';

const quotas: OrganizationQuotas = {
  organization: 'acme-payments',
  // 20 buckets: 8 carved out for ledger (5 of them used), 3 of the other 12 used by checkout.
  lines: [
    { dimension: 'count/aws:s3-bucket', limit: 20, used: 8, allocated: 8 },
  ],
  teams: {
    ledger: [
      { dimension: 'count/aws:s3-bucket', limit: 8, used: 5, allocated: 0 },
    ],
  },
};

describe('quotaLeft', () => {
  it("reads a team's carve-out when it has one", () => {
    expect(quotaLeft(quotas, 'ledger', 'count/aws:s3-bucket')).toEqual({
      source: 'team',
      dimension: 'count/aws:s3-bucket',
      limit: 8,
      left: 3,
    });
  });

  it('reads the shared pool otherwise, without counting what carve-outs use twice', () => {
    expect(quotaLeft(quotas, 'checkout', 'count/aws:s3-bucket')).toEqual({
      source: 'shared-pool',
      dimension: 'count/aws:s3-bucket',
      limit: 12,
      left: 9,
    });
  });

  it('says when the organization sets no quota in the dimension', () => {
    expect(quotaLeft(quotas, 'checkout', 'budget-monthly')).toEqual({
      source: 'none',
      dimension: 'budget-monthly',
    });
  });
});
