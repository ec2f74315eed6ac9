import { describeApproval } from './describeApproval';

function quota(dimension: unknown, limit: unknown) {
  return { subjectType: 'quota-increase', subject: { dimension, limit } };
}

describe('describeApproval', () => {
  it.each([
    ['cpu-millicores', 96000, 'Raise CPU to 96 cores'],
    ['cpu-millicores', 1500, 'Raise CPU to 1.5 cores'],
    ['memory-mib', 524288, 'Raise memory to 512 GiB'],
    ['gpus', 8, 'Raise GPUs (any type) to 8 GPUs'],
    ['gpus/nvidia-a100', 1, 'Raise GPUs: nvidia-a100 to 1 GPU'],
    ['count/aws:s3-bucket', 30, 'Raise S3 buckets to 30'],
    ['budget-monthly', 8000, 'Raise monthly budget to 8,000 per month'],
  ])('reads a raise of %s to %s as "%s"', (dimension, limit, expected) => {
    expect(describeApproval(quota(dimension, limit))).toBe(expected);
  });

  it('does not trust a malformed subject', () => {
    expect(describeApproval(quota(42, 'lots'))).toBe('Raise a quota limit');
  });

  it('names subject types it does not know', () => {
    expect(
      describeApproval({ subjectType: 'team-deletion', subject: {} }),
    ).toBe('Request of type team-deletion');
  });
});
