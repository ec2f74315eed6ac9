import { submitDeploymentRequestSchema } from './deployments';

describe('submitDeploymentRequestSchema', () => {
  const request = {
    team: 'checkout',
    name: 'payments-api',
    image: 'ghcr.io/acme/payments-api:1.4.2',
    resources: { cpuMillicores: 500, memoryMib: 1024 },
  };

  it('keeps the root filesystem read-only unless the request opts out', () => {
    expect(
      submitDeploymentRequestSchema.parse(request).writableRootFilesystem,
    ).toBeUndefined();
    expect(
      submitDeploymentRequestSchema.parse({
        ...request,
        writableRootFilesystem: true,
      }).writableRootFilesystem,
    ).toBe(true);
  });

  it('refuses an opt-out that is not a boolean', () => {
    const result = submitDeploymentRequestSchema.safeParse({
      ...request,
      writableRootFilesystem: 'yes',
    });

    expect(result.success).toBe(false);
    expect(result.error?.issues[0].path).toEqual(['writableRootFilesystem']);
  });
});
