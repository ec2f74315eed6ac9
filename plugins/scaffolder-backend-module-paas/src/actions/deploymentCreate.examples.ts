import { TemplateExample } from '@backstage/plugin-scaffolder-node';

export const examples: TemplateExample[] = [
  {
    description:
      'Deploy two replicas of a container for a team; Paasport queues it, asks for an ' +
      'approval, or admits it onto a cluster.',
    example: `steps:
  - id: deploy
    name: Deploy the container
    action: paas:deployment:create
    input:
      organization: acme
      team: checkout
      name: checkout-api
      image: ghcr.io/acme/checkout:1.4.2
      replicas: 2
      cpuMillicores: 500
      memoryMib: 512
`,
  },
  {
    description:
      'Deploy a GPU workload at a given priority onto production clusters, with a reason ' +
      'for the approvers.',
    example: `steps:
  - id: deploy
    name: Deploy the trainer
    action: paas:deployment:create
    input:
      organization: acme
      team: research
      name: trainer
      image: ghcr.io/acme/trainer:2.0.0
      replicas: 1
      cpuMillicores: 8000
      memoryMib: 65536
      gpus: 4
      gpuType: nvidia-a100
      priorityClass: batch
      placement:
        environment: prod
      reason: Nightly model training
`,
  },
  {
    description: 'Take the values from the template form.',
    example: `steps:
  - id: deploy
    name: Deploy the container
    action: paas:deployment:create
    input:
      organization: \${{ parameters.organization }}
      team: \${{ parameters.team }}
      name: \${{ parameters.name }}
      image: \${{ parameters.image }}
      replicas: \${{ parameters.replicas }}
      cpuMillicores: \${{ parameters.cpuMillicores }}
      memoryMib: \${{ parameters.memoryMib }}
      priorityClass: \${{ parameters.priorityClass }}
      placement:
        environment: \${{ parameters.environment }}
`,
  },
];
