import { KubernetesValidatorFunctions } from '@backstage/catalog-model';
import { resourceEntityName } from './resourceEntityName';

describe('resourceEntityName', () => {
  it('prefixes the organization, team and name with the readable type', () => {
    expect(
      resourceEntityName({
        organization: 'acme-payments',
        team: 'checkout',
        kind: 'aws:s3-bucket',
        name: 'assets',
      }),
    ).toBe('s3-bucket-acme-payments-checkout-assets');
  });

  it('keeps resources of different kinds with the same name apart', () => {
    const names = [
      'aws:s3-bucket' as const,
      'aws:dynamodb-table' as const,
      'kubernetes:namespace' as const,
    ].map(kind =>
      resourceEntityName({
        organization: 'acme',
        team: 'checkout',
        kind,
        name: 'orders',
      }),
    );

    expect(names).toEqual([
      's3-bucket-acme-checkout-orders',
      'dynamodb-table-acme-checkout-orders',
      'kubernetes-namespace-acme-checkout-orders',
    ]);
  });

  it('shortens a long name to 63 characters with a stable hash of the whole', () => {
    const resource = {
      organization: 'acme-payments-and-settlements',
      team: 'checkout-experience',
      kind: 'kubernetes:namespace' as const,
      name: 'storefront-preview',
    };

    const name = resourceEntityName(resource);

    expect(name).toHaveLength(63);
    expect(name).toMatch(
      /^kubernetes-namespace-acme-payments-and-settlements-che-[0-9a-f]{8}$/,
    );
    expect(KubernetesValidatorFunctions.isValidObjectName(name)).toBe(true);
    expect(resourceEntityName({ ...resource })).toBe(name);
    expect(
      resourceEntityName({ ...resource, name: 'storefront-prod' }),
    ).not.toBe(name);
  });

  it('ends a shortened name in the hash even where the cut falls on a dash', () => {
    const name = resourceEntityName({
      organization: 'a'.repeat(43),
      team: 'checkout',
      kind: 'aws:sqs-queue',
      name: 'orders',
    });

    expect(name).toMatch(/^sqs-queue-a{43}-[0-9a-f]{8}$/);
    expect(KubernetesValidatorFunctions.isValidObjectName(name)).toBe(true);
  });

  it('tells apart long names that only differ where the parts are joined', () => {
    const long = 'x'.repeat(40);
    const one = resourceEntityName({
      organization: `acme-${long}`,
      team: 'checkout',
      kind: 'aws:s3-bucket',
      name: 'assets',
    });
    const other = resourceEntityName({
      organization: 'acme',
      team: `${long}-checkout`,
      kind: 'aws:s3-bucket',
      name: 'assets',
    });

    expect(one).not.toBe(other);
  });

  it('gives a kind it does not know a type made of its id', () => {
    expect(
      resourceEntityName({
        organization: 'acme',
        team: 'checkout',
        kind: 'gcp:pubsub-topic' as never,
        name: 'events',
      }),
    ).toBe('gcp-pubsub-topic-acme-checkout-events');
  });
});
