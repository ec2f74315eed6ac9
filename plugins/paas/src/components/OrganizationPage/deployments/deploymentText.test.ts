import { describeRequests, formatWait } from './deploymentText';

describe('formatWait', () => {
  it.each([
    [undefined, undefined],
    [{ minSeconds: 0, maxSeconds: 30 }, 'less than a minute'],
    [{ minSeconds: 0, maxSeconds: 600 }, 'up to 10 minutes'],
    [{ minSeconds: 300, maxSeconds: 600 }, '5–10 minutes'],
    [{ minSeconds: 240, maxSeconds: 260 }, '4 minutes'],
    [{ minSeconds: 1800, maxSeconds: 7200 }, '30 minutes – 2 hours'],
    [{ minSeconds: 3600, maxSeconds: 10800 }, '1–3 hours'],
    [{ minSeconds: 86400, maxSeconds: 3 * 86400 }, '1–3 days'],
  ])('says %j as %s', (wait, text) => {
    expect(formatWait(wait)).toBe(text);
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
