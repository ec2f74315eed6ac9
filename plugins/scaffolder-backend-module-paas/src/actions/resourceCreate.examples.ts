import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { ResourceKind } from '@paasport/plugin-paas-common';
import { RESOURCE_KIND_LABELS, resourceActionId } from './resourceKinds';

const SPECS: Record<ResourceKind, string> = {
  'aws:s3-bucket': `      spec:
        versioning: true`,
  'aws:s3-prefix': `      spec:
        bucket: acme-shared-data`,
  'aws:dynamodb-table': `      spec:
        partitionKey: { name: pk, type: S }
        sortKey: { name: sk, type: S }
        ttlAttribute: expiresAt`,
  'aws:sqs-queue': `      spec:
        deadLetterQueue: { maxReceiveCount: 5 }`,
  'aws:lambda-function': `      spec:
        runtime: nodejs22.x
        handler: index.handler
        codeS3Bucket: acme-payments-checkout-artifacts
        codeS3Key: payments-api/1.4.2.zip`,
  'aws:rds-instance': `      spec:
        engine: postgres
        instanceClass: db.t4g.micro
        allocatedStorageGiB: 20`,
  'kubernetes:namespace': `      spec:
        team: checkout
        environment: dev`,
};

/** Examples of a resource action: the per-kind action, or the generic one with a kind. */
export function resourceActionExamples(kind?: ResourceKind): TemplateExample[] {
  const shown: ResourceKind = kind ?? 'aws:dynamodb-table';
  const name = shown === 'kubernetes:namespace' ? 'dev' : 'orders';
  return [
    {
      description: `Request a ${RESOURCE_KIND_LABELS[shown]} for a team, linked to the component it serves, and wait until it is ready.`,
      example: `steps:
  - id: resource
    name: Request the ${RESOURCE_KIND_LABELS[shown]}
    action: ${resourceActionId(kind)}
    input:
      organization: acme-payments
      team: checkout
      name: ${name}
${
  kind ? '' : `      kind: ${shown}\n`
}      component: component:default/payments-api
${SPECS[shown]}
`,
    },
    {
      description:
        'Request it without waiting, then wait in a later step (an approval may come in between).',
      example: `steps:
  - id: resource
    name: Request it
    action: ${resourceActionId(kind)}
    input:
      organization: acme-payments
      team: checkout
      name: ${name}
${kind ? '' : `      kind: ${shown}\n`}      wait: false
      reason: Orders of the new checkout flow
${SPECS[shown]}
  - id: ready
    name: Wait until it is ready
    action: paas:resource:wait
    input:
      id: \${{ steps.resource.output.id }}
      timeoutSeconds: 3600
`,
    },
  ];
}
