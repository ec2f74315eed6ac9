import { compareDimensions, describeDimension } from './quotaUnits';

describe('describeDimension', () => {
  it.each([
    ['cpu-millicores', 64000, '64 cores'],
    ['cpu-millicores', 1000, '1 core'],
    ['cpu-millicores', 500, '0.5 cores'],
    ['memory-mib', 262144, '256 GiB'],
    ['memory-mib', 1536, '1.5 GiB'],
    ['memory-mib', 512, '512 MiB'],
    ['memory-mib', 0, '0 GiB'],
    ['gpus', 4, '4 GPUs'],
    ['gpus/nvidia-a100', 1, '1 GPU'],
    ['count/aws:s3-bucket', 20, '20 S3 buckets'],
    ['count/aws:dynamodb-table', 1, '1 DynamoDB table'],
    ['budget-monthly', 500, '500 per month'],
  ])('shows %s %d as %s', (dimension, amount, text) => {
    expect(describeDimension(dimension).format(amount)).toBe(text);
  });

  it('names what is counted', () => {
    expect(describeDimension('cpu-millicores').label).toBe('CPU');
    expect(describeDimension('gpus/nvidia-a100').label).toBe(
      'GPUs: nvidia-a100',
    );
    expect(describeDimension('count/kubernetes:namespace').label).toBe(
      'Kubernetes namespaces',
    );
    expect(describeDimension('count/aws:new-thing').label).toBe(
      'aws:new-thing',
    );
  });

  it('converts input in cores and GiB to millicores and MiB', () => {
    const cpu = describeDimension('cpu-millicores');
    expect(cpu.fromInput(16)).toBe(16000);
    expect(cpu.fromInput(0.25)).toBe(250);
    expect(cpu.toInput(48000)).toBe(48);
    const memory = describeDimension('memory-mib');
    expect(memory.fromInput(64)).toBe(65536);
    expect(memory.toInput(512)).toBe(0.5);
    expect(describeDimension('gpus').wholeInput).toBe(true);
  });

  it('orders lines the way people read them', () => {
    expect(
      [
        'budget-monthly',
        'gpus/nvidia-a100',
        'count/aws:s3-bucket',
        'memory-mib',
        'gpus',
        'cpu-millicores',
      ].sort(compareDimensions),
    ).toEqual([
      'cpu-millicores',
      'memory-mib',
      'gpus',
      'gpus/nvidia-a100',
      'count/aws:s3-bucket',
      'budget-monthly',
    ]);
  });
});
