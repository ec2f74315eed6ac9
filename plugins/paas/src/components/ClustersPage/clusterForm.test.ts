import { emptyClusterForm, validateClusterForm } from './clusterForm';

const filled = {
  ...emptyClusterForm,
  name: 'eu-west-gpu',
  cpuCores: '96',
  memoryGib: '384',
};

describe('validateClusterForm', () => {
  it('gives the request the backend expects, in millicores and MiB, with its defaults', () => {
    expect(validateClusterForm(filled)).toEqual({
      request: {
        name: 'eu-west-gpu',
        capacity: { cpuMillicores: 96000, memoryMib: 393216, gpus: 0 },
        labels: {},
        state: 'ready',
      },
      errors: {},
    });
  });

  it('keeps fractions of cores and GiB, and the optional fields when given', () => {
    expect(
      validateClusterForm({
        ...filled,
        title: '  EU West GPU ',
        cpuCores: '0.5',
        memoryGib: '1.5',
        gpus: '8',
        gpuType: 'nvidia-a100',
        labels: 'region=eu-west-1, environment = production',
        state: 'cordoned',
      }).request,
    ).toEqual({
      name: 'eu-west-gpu',
      title: 'EU West GPU',
      capacity: { cpuMillicores: 500, memoryMib: 1536, gpus: 8 },
      gpuType: 'nvidia-a100',
      labels: { region: 'eu-west-1', environment: 'production' },
      state: 'cordoned',
    });
  });

  it('names the field of each problem', () => {
    const { request, errors } = validateClusterForm({
      ...filled,
      name: 'EU',
      cpuCores: '-1',
      memoryGib: 'lots',
      gpus: '1.5',
      gpuType: 'NVIDIA A100',
    });
    expect(request).toBeUndefined();
    expect(errors).toEqual({
      name: expect.any(String),
      cpuCores: 'must be a number of cores, 0 or more',
      memoryGib: 'must be a number of GiB, 0 or more',
      gpus: 'must be a whole number, 0 or more',
      gpuType: expect.stringMatching(/lower-case/),
    });
  });

  it('refuses more than a cluster can hold, in the unit typed', () => {
    const { request, errors } = validateClusterForm({
      ...filled,
      cpuCores: '3000000',
    });
    expect(request).toBeUndefined();
    expect(errors.cpuCores).toMatch(/^must be at most 2,000,000 cores$/);
  });

  it('says which label is wrong, and refuses text that is not key=value pairs', () => {
    expect(
      validateClusterForm({ ...filled, labels: 'Region=eu-west-1' }).errors,
    ).toEqual({
      labels: expect.stringMatching(/^Region: label keys must be lower-case/),
    });
    expect(validateClusterForm({ ...filled, labels: 'region' })).toEqual({
      errors: { labels: '"region" is not a key=value pair' },
    });
  });

  it('gives no request while a required field is empty', () => {
    expect(
      validateClusterForm({ ...filled, memoryGib: '' }).request,
    ).toBeUndefined();
    expect(
      validateClusterForm({ ...filled, name: '' }).request,
    ).toBeUndefined();
  });
});
