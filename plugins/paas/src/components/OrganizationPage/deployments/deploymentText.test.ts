import { describeRequests, formatWait } from './deploymentText';

describe('formatWait', () => {
  it.each([
    [undefined, 'unknown'],
    [0, 'less than a minute'],
    [59, 'less than a minute'],
    [60, 'about 1 minute'],
    [240, 'about 4 minutes'],
    [3590, 'about 1 hour'],
    [5400, 'about 2 hours'],
    [86400, 'about 1 day'],
    [3 * 86400, 'about 3 days'],
  ])('says %s seconds as %s', (seconds, text) => {
    expect(formatWait(seconds)).toBe(text);
  });
});

describe('describeRequests', () => {
  it('multiplies replicas by what each asks for, in human units', () => {
    expect(
      describeRequests({
        replicas: 2,
        resources: { cpuMillicores: 500, memoryMib: 512, gpus: 0 },
      }),
    ).toBe('2 × 0.5 cores, 512 MiB');
    expect(
      describeRequests({
        replicas: 1,
        resources: { cpuMillicores: 1000, memoryMib: 2048, gpus: 1 },
        gpuType: 'nvidia-a100',
      }),
    ).toBe('1 × 1 core, 2 GiB, 1 GPU (nvidia-a100)');
  });
});
