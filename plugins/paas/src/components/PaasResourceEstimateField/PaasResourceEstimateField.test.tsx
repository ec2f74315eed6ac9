import { GroupEntity } from '@backstage/catalog-model';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { Stepper } from '@backstage/plugin-scaffolder-react/alpha';
import type { OrganizationQuotas } from '@paasport/plugin-paas-common';
import {
  PAAS_ORGANIZATION_ANNOTATION,
  PAAS_TEAM_ANNOTATION,
} from '@paasport/plugin-paas-common';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  errorFromBackend,
  mockPaasApi,
} from '../../__testUtils__/paasFixtures';
import { PaasApi, paasApiRef } from '../../api';
import { PaasResourceEstimateField } from './PaasResourceEstimateField';
import type { PaasResourceEstimateUiOptions } from './schema';

const CHECKOUT_GROUP = 'group:default/acme-payments-checkout';

function group(name: string, annotations: Record<string, string> = {}) {
  const entity: GroupEntity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'team', children: [] },
  };
  return entity;
}

const checkoutGroup = group('acme-payments-checkout', {
  [PAAS_ORGANIZATION_ANNOTATION]: 'acme-payments',
  [PAAS_TEAM_ANNOTATION]: 'checkout',
});

/** Checkout has 17 of its 20 S3 buckets left; the budget is the organization's shared pool. */
const roomyQuotas: OrganizationQuotas = {
  organization: 'acme-payments',
  lines: [
    { dimension: 'budget-monthly', limit: 5000, used: 1200, allocated: 0 },
    { dimension: 'count/aws:s3-bucket', limit: 30, used: 3, allocated: 20 },
  ],
  teams: {
    checkout: [
      { dimension: 'count/aws:s3-bucket', limit: 20, used: 3, allocated: 0 },
    ],
  },
};

const BUCKET_BY_OWNER: PaasResourceEstimateUiOptions = {
  kind: 'aws:s3-bucket',
  ownerField: 'owner',
};

/** Renders the field inside the scaffolder's own form, next to a text field for the owner. */
async function renderInForm(options: {
  uiOptions?: PaasResourceEstimateUiOptions;
  initialState?: Record<string, string>;
  paasApi?: PaasApi;
  groups?: GroupEntity[];
}) {
  const {
    uiOptions = BUCKET_BY_OWNER,
    initialState = { owner: CHECKOUT_GROUP },
    paasApi = mockPaasApi({
      getQuotas: jest.fn().mockResolvedValue(roomyQuotas),
    }),
    groups = [checkoutGroup],
  } = options;
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [paasApiRef, paasApi],
        [catalogApiRef, catalogApiMock({ entities: groups })],
      ]}
    >
      <Stepper
        manifest={{
          title: 'S3 bucket',
          steps: [
            {
              title: 'Bucket',
              schema: {
                type: 'object',
                properties: {
                  owner: { type: 'string', title: 'Owner' },
                  organization: { type: 'string', title: 'Organization' },
                  team: { type: 'string', title: 'Team' },
                  estimate: {
                    type: 'string',
                    title: 'Cost and quota',
                    'ui:field': 'PaasResourceEstimate',
                    'ui:options': uiOptions,
                  },
                },
              },
            },
          ],
        }}
        extensions={[
          {
            name: 'PaasResourceEstimate',
            component: PaasResourceEstimateField,
          },
        ]}
        initialState={initialState}
        onCreate={jest.fn()}
      />
    </TestApiProvider>,
  );
  return paasApi;
}

describe('PaasResourceEstimateField', () => {
  beforeEach(() => {
    // The scaffolder's stepper scrolls to the top of each step; jsdom has no scrolling.
    window.scrollTo = jest.fn();
  });

  it("shows the monthly estimate and the quota left of the owner's team", async () => {
    const paasApi = await renderInForm({});

    expect(
      await screen.findByText(
        'checkout has 17 of 20 S3 buckets left; this request needs 1.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('region', { name: 'Cost and quota' }),
    ).toHaveTextContent('Estimated cost: 5 per month for one S3 bucket.');
    expect(
      screen.getByText(
        'checkout draws on the shared pool of acme-payments, which has 3,800 of 5,000 per month left; this request needs 5 per month.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Quota left for team checkout of acme-payments:'),
    ).toBeInTheDocument();
    expect(paasApi.getQuotas).toHaveBeenCalledWith('acme-payments');
  });

  it('warns when the request would exceed the quota', async () => {
    // Ledger's carve-out holds 8 buckets (5 used); the other 12 are the shared pool, all used.
    const full: OrganizationQuotas = {
      organization: 'acme-payments',
      lines: [
        { dimension: 'budget-monthly', limit: 5000, used: 5000, allocated: 0 },
        { dimension: 'count/aws:s3-bucket', limit: 20, used: 17, allocated: 8 },
      ],
      teams: {
        ledger: [
          { dimension: 'count/aws:s3-bucket', limit: 8, used: 5, allocated: 0 },
        ],
      },
    };
    await renderInForm({
      paasApi: mockPaasApi({ getQuotas: jest.fn().mockResolvedValue(full) }),
    });

    expect(
      await screen.findByText(
        'checkout draws on the shared pool of acme-payments, which has 0 of 12 S3 buckets left; this request needs 1. Paasport will refuse it unless the quota is raised.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /which has 0 of 5,000 per month left; this request needs 5 per month\. Paasport will refuse it/,
      ),
    ).toBeInTheDocument();
  });

  it("names the team's own carve-out when it is used up", async () => {
    const usedUp: OrganizationQuotas = {
      ...roomyQuotas,
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
    };
    await renderInForm({
      paasApi: mockPaasApi({ getQuotas: jest.fn().mockResolvedValue(usedUp) }),
    });

    expect(
      await screen.findByText(
        /^checkout has 0 of 20 S3 buckets left; this request needs 1\./,
      ),
    ).toBeInTheDocument();
  });

  it('warns that no provider is installed for the kind and still shows its count quota', async () => {
    await renderInForm({
      paasApi: mockPaasApi({
        listResourceKinds: jest
          .fn()
          .mockResolvedValue([{ kind: 'aws:rds-instance', monthlyCost: 150 }]),
        getQuotas: jest.fn().mockResolvedValue(roomyQuotas),
      }),
    });

    expect(
      await screen.findByText(
        'No provider is installed for aws:s3-bucket, so Paasport cannot create this resource.',
      ),
    ).toBeInTheDocument();
    expect(
      await screen.findByText(
        'checkout has 17 of 20 S3 buckets left; this request needs 1.',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText(/Estimated cost/)).not.toBeInTheDocument();
    expect(screen.queryByText('Monthly budget')).not.toBeInTheDocument();
  });

  it('says when the organization sets no quota for the kind or no budget', async () => {
    const unset: OrganizationQuotas = {
      organization: 'acme-payments',
      lines: [
        { dimension: 'cpu-millicores', limit: 64000, used: 0, allocated: 0 },
      ],
      teams: {},
    };
    await renderInForm({
      paasApi: mockPaasApi({ getQuotas: jest.fn().mockResolvedValue(unset) }),
    });

    expect(
      await screen.findByText(
        'acme-payments sets no quota for S3 buckets; Paasport refuses this request until the platform team sets one.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'acme-payments sets no monthly budget, so this cost is not held against one.',
      ),
    ).toBeInTheDocument();
  });

  it('asks for an owner until one is chosen, then reads it from the rest of the form', async () => {
    const paasApi = await renderInForm({ initialState: {} });

    expect(
      await screen.findByText(
        'Choose the owner to see the quota left for its team.',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText(/Estimated cost/)).toBeInTheDocument();
    expect(paasApi.getQuotas).not.toHaveBeenCalled();

    await userEvent.type(
      screen.getByRole('textbox', { name: 'Owner' }),
      CHECKOUT_GROUP,
    );

    expect(
      await screen.findByText(
        'checkout has 17 of 20 S3 buckets left; this request needs 1.',
      ),
    ).toBeInTheDocument();
  });

  it('takes the organization and team from their own fields when the template says so', async () => {
    const paasApi = await renderInForm({
      uiOptions: {
        kind: 'aws:s3-bucket',
        organizationField: 'organization',
        teamField: 'team',
      },
      initialState: { organization: 'acme-payments', team: 'checkout' },
      groups: [],
    });

    expect(
      await screen.findByText(
        'checkout has 17 of 20 S3 buckets left; this request needs 1.',
      ),
    ).toBeInTheDocument();
    expect(paasApi.getQuotas).toHaveBeenCalledWith('acme-payments');
  });

  it('says so when the owner is not the group of a Paasport team', async () => {
    const paasApi = await renderInForm({
      initialState: { owner: 'group:default/payments' },
      groups: [group('payments')],
    });

    expect(
      await screen.findByText(
        'group:default/payments is not the group of a Paasport team, so no Paasport quota applies to it',
      ),
    ).toBeInTheDocument();
    expect(paasApi.getQuotas).not.toHaveBeenCalled();
  });

  it("shows the backend's message when the quota cannot be loaded", async () => {
    await renderInForm({
      paasApi: mockPaasApi({
        getQuotas: jest
          .fn()
          .mockRejectedValue(
            await errorFromBackend(
              404,
              'NotFoundError',
              'organization acme-payments not found',
            ),
          ),
      }),
    });
    expect(
      await screen.findByText(
        'Could not load the quota: organization acme-payments not found',
      ),
    ).toBeInTheDocument();
  });

  it("shows the backend's message when the estimate cannot be loaded", async () => {
    await renderInForm({
      paasApi: mockPaasApi({
        listResourceKinds: jest
          .fn()
          .mockRejectedValue(
            await errorFromBackend(
              503,
              'ServiceUnavailableError',
              'no database',
            ),
          ),
      }),
    });
    expect(
      await screen.findByText('Could not load the estimate: no database'),
    ).toBeInTheDocument();
  });
});
