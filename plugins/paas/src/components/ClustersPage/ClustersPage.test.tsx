import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  clusters,
  errorFromBackend,
  mockPaasApi,
} from '../../__testUtils__/paasFixtures';
import { PaasApi, paasApiRef } from '../../api';
import { clustersRouteRef, rootRouteRef } from '../../routes';
import { ClustersPage } from './ClustersPage';

jest.setTimeout(30_000);

function render(paasApi: PaasApi) {
  return renderInTestApp(
    <TestApiProvider apis={[[paasApiRef, paasApi]]}>
      <ClustersPage />
    </TestApiProvider>,
    {
      mountedRoutes: {
        '/paasport': rootRouteRef,
        '/paasport/clusters': clustersRouteRef,
      },
    },
  );
}

function rowOf(text: string): HTMLElement {
  return screen.getByText(text).closest('tr')!;
}

describe('ClustersPage', () => {
  const user = userEvent.setup({ delay: null });

  it('shows each cluster with its state, labels and allocated share of its capacity', async () => {
    const paasApi = mockPaasApi();
    await render(paasApi);

    expect(await screen.findByText('Clusters (2)')).toBeInTheDocument();
    expect(paasApi.listClusters).toHaveBeenCalledTimes(1);

    const gpu = rowOf('EU GPU 1');
    expect(within(gpu).getByTestId('cluster-state')).toHaveTextContent('ready');
    expect(within(gpu).getByText('region=eu-west-1')).toBeInTheDocument();
    expect(within(gpu).getByText('environment=production')).toBeInTheDocument();
    expect(gpu).toHaveTextContent('nvidia-a100');
    expect(within(gpu).getByTestId('quota-cpu-millicores')).toHaveTextContent(
      '16 cores of 64 cores allocated (25%)',
    );
    expect(within(gpu).getByTestId('quota-memory-mib')).toHaveTextContent(
      '64 GiB of 256 GiB allocated (25%)',
    );
    expect(within(gpu).getByTestId('quota-gpus/nvidia-a100')).toHaveTextContent(
      '2 GPUs of 8 GPUs allocated (25%)',
    );
    expect(
      within(gpu).getByRole('progressbar', { name: 'CPU usage' }),
    ).toHaveAttribute('aria-valuemax', '64000');

    const cpu = rowOf('US CPU 1');
    expect(within(cpu).getByTestId('cluster-state')).toHaveTextContent(
      'cordoned',
    );
    expect(cpu).toHaveTextContent('us-cpu-1 · from the catalog');
    expect(within(cpu).getByTestId('quota-cpu-millicores')).toHaveTextContent(
      '30 cores of 32 cores allocated (94%)',
    );
    expect(cpu).toHaveTextContent('No GPUs');
    expect(
      within(cpu).queryByRole('progressbar', { name: /GPUs/ }),
    ).not.toBeInTheDocument();
  });

  it('says when there are no clusters yet', async () => {
    await render(
      mockPaasApi({ listClusters: jest.fn().mockResolvedValue([]) }),
    );

    expect(await screen.findByText('No clusters yet')).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Back to Paasport' }),
    ).toHaveAttribute('href', '/paasport');
  });

  it('shows the backend message when the clusters cannot be loaded, and retries', async () => {
    const paasApi = mockPaasApi({
      listClusters: jest
        .fn()
        .mockRejectedValueOnce(
          await errorFromBackend(500, 'Error', 'database unavailable'),
        )
        .mockResolvedValue(clusters),
    });
    await render(paasApi);

    expect(
      await screen.findByText(/Could not load the clusters/),
    ).toBeInTheDocument();
    expect(screen.getAllByText(/database unavailable/).length).toBeGreaterThan(
      0,
    );
    await user.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('Clusters (2)')).toBeInTheDocument();
  });
});
