import { renderTestApp } from '@backstage/frontend-test-utils';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import scaffolderPlugin from '@backstage/plugin-scaffolder/alpha';
import {
  ScaffolderApi,
  TemplateParameterSchema,
  scaffolderApiRef,
} from '@backstage/plugin-scaffolder-react';
import { PaasApi, paasApiRef } from '@paasport/plugin-paas';
import paasPlugin from '@paasport/plugin-paas/alpha';
import { screen } from '@testing-library/react';

// The app finds the scaffolder and Paasport plugins by feature discovery (`app.packages: all`),
// which only runs in the bundler; the test passes the same default exports that discovery
// loads. The catalog plugin provides what OwnerPicker needs (entity presentation).
const features = [catalogPlugin, scaffolderPlugin, paasPlugin];

const checkout = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: {
    name: 'acme-payments-checkout',
    namespace: 'default',
    annotations: {
      'paasport.io/organization': 'acme-payments',
      'paasport.io/team': 'checkout',
    },
  },
  spec: { type: 'team', children: [] },
};

const bucketTemplate: TemplateParameterSchema = {
  title: 'S3 bucket',
  steps: [
    {
      title: 'Bucket',
      schema: {
        type: 'object',
        properties: {
          owner: {
            type: 'string',
            title: 'Owner',
            'ui:field': 'OwnerPicker',
            'ui:options': { catalogFilter: [{ kind: 'Group' }] },
          },
          estimate: {
            type: 'string',
            title: 'Cost and quota',
            'ui:field': 'PaasResourceEstimate',
            'ui:options': { kind: 'aws:s3-bucket', ownerField: 'owner' },
          },
        },
      },
    },
  ],
};

jest.setTimeout(30_000);

describe('the PaasResourceEstimate scaffolder field in the app', () => {
  beforeEach(() => {
    // The scaffolder's stepper scrolls to the top of each step; jsdom has no scrolling.
    window.scrollTo = jest.fn();
  });

  afterEach(() => {
    window.history.replaceState(null, '', '/');
  });

  it("renders in a template's form with the estimate and the owner's quota", async () => {
    const scaffolderApi: Partial<ScaffolderApi> = {
      getTemplateParameterSchema: jest.fn().mockResolvedValue(bucketTemplate),
    };
    const paasApi: Partial<PaasApi> = {
      listResourceKinds: jest
        .fn()
        .mockResolvedValue([{ kind: 'aws:s3-bucket', monthlyCost: 5 }]),
      getQuotas: jest.fn().mockResolvedValue({
        organization: 'acme-payments',
        lines: [
          {
            dimension: 'count/aws:s3-bucket',
            limit: 30,
            used: 20,
            allocated: 20,
          },
        ],
        teams: {
          checkout: [
            {
              dimension: 'count/aws:s3-bucket',
              limit: 20,
              used: 20,
              allocated: 0,
            },
          ],
        },
      }),
    };
    // The template form takes its initial values from `?formData=` of the window's address.
    const path = `/create/templates/default/s3-bucket?formData=${encodeURIComponent(
      JSON.stringify({ owner: 'group:default/acme-payments-checkout' }),
    )}`;
    window.history.replaceState(null, '', path);

    renderTestApp({
      features,
      initialRouteEntries: [path],
      apis: [
        [scaffolderApiRef, scaffolderApi as ScaffolderApi],
        [paasApiRef, paasApi as PaasApi],
        [catalogApiRef, catalogApiMock({ entities: [checkout] })],
      ],
    });

    expect(
      await screen.findByText(
        'checkout has 0 of 20 S3 buckets left; this request needs 1. Paasport will refuse it unless the quota is raised.',
        {},
        { timeout: 10_000 },
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('region', { name: 'Cost and quota' }),
    ).toHaveTextContent('Estimated cost: 5 per month for one S3 bucket.');
    expect(paasApi.getQuotas).toHaveBeenCalledWith('acme-payments');
  });
});
