import { emptyForm, validateDeploymentForm } from './deploymentForm';

const filled = {
  ...emptyForm,
  team: 'checkout',
  name: 'api',
  image: 'ghcr.io/acme/checkout:1.4.2',
  cpuMillicores: '500',
  memoryMib: '1024',
};

describe('validateDeploymentForm', () => {
  it('gives the request the backend expects, with its defaults filled in', () => {
    expect(validateDeploymentForm(filled)).toEqual({
      request: {
        team: 'checkout',
        name: 'api',
        image: 'ghcr.io/acme/checkout:1.4.2',
        replicas: 1,
        resources: { cpuMillicores: 500, memoryMib: 1024, gpus: 0 },
        placement: {},
      },
      errors: {},
    });
  });

  it('names the field of each problem, per replica request included', () => {
    const { request, errors } = validateDeploymentForm({
      ...filled,
      name: 'API',
      replicas: '1.5',
      memoryMib: '0',
    });
    expect(request).toBeUndefined();
    expect(Object.keys(errors).sort()).toEqual([
      'memoryMib',
      'name',
      'replicas',
    ]);
  });

  it('says which placement label is wrong', () => {
    const { request, errors } = validateDeploymentForm({
      ...filled,
      placement: 'Region=eu-west-1',
    });
    expect(request).toBeUndefined();
    expect(errors.placement).toMatch(/label keys must be lower-case/);
  });

  it('refuses text that is not key=value pairs', () => {
    const { request, errors } = validateDeploymentForm({
      ...filled,
      placement: 'region',
    });
    expect(request).toBeUndefined();
    expect(errors.placement).toBe('"region" is not a key=value pair');
  });
});
