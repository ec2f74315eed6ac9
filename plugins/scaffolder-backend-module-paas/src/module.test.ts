import { createServiceFactory } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  scaffolderActionsExtensionPoint,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { PaasService, paasServiceRef } from '@paasport/plugin-paas-node';
import { scaffolderModulePaas } from './module';

describe('scaffolderModulePaas', () => {
  it('registers the Paasport actions, linking to the configured app', async () => {
    const actions: TemplateAction<any, any, any>[] = [];
    const paas = {
      createOrganization: jest.fn(async request => ({
        name: request.name,
        title: request.name,
        createdBy: 'user:default/mock',
        createdAt: '2026-01-01T00:00:00.000Z',
      })),
    } as unknown as PaasService;

    await startTestBackend({
      extensionPoints: [
        [
          scaffolderActionsExtensionPoint,
          { addActions: (...added) => actions.push(...added) },
        ],
      ],
      features: [
        scaffolderModulePaas,
        createServiceFactory({
          service: paasServiceRef,
          deps: {},
          factory: () => paas,
        }),
        mockServices.rootConfig.factory({
          data: { app: { baseUrl: 'https://portal.example' } },
        }),
      ],
    });

    expect(actions.map(a => a.id)).toEqual([
      'paas:organization:create',
      'paas:deployment:create',
      'paas:resource:create',
      'paas:aws:s3-bucket:create',
      'paas:aws:s3-prefix:create',
      'paas:aws:dynamodb-table:create',
      'paas:aws:sqs-queue:create',
      'paas:aws:lambda-function:create',
      'paas:aws:rds-instance:create',
      'paas:kubernetes:namespace:create',
      'paas:resource:wait',
    ]);

    const ctx = createMockActionContext({ input: { name: 'acme' } });
    await actions[0].handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith(
      'url',
      'https://portal.example/paasport',
    );
  });
});
