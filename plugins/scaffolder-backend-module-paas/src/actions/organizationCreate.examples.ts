import { TemplateExample } from '@backstage/plugin-scaffolder-node';

export const examples: TemplateExample[] = [
  {
    description:
      'Create an organization; Paasport publishes a catalog Group of the same name for it.',
    example: `steps:
  - id: create-organization
    name: Create the organization
    action: paas:organization:create
    input:
      name: acme-payments
      title: Acme Payments
      description: Everything that moves money
`,
  },
  {
    description:
      'Adopt an existing catalog group as an organization instead of publishing a new one.',
    example: `steps:
  - id: create-organization
    name: Adopt the payments group
    action: paas:organization:create
    input:
      name: payments
      title: Payments
      groupRef: group:default/payments
`,
  },
  {
    description: 'Take the values from the template form.',
    example: `steps:
  - id: create-organization
    name: Create the organization
    action: paas:organization:create
    input:
      name: \${{ parameters.name }}
      title: \${{ parameters.title }}
      description: \${{ parameters.description }}
      groupRef: \${{ parameters.groupRef }}
`,
  },
];
