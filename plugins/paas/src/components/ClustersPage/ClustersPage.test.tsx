import {
  mockApis,
  TestApiProvider,
  renderInTestApp,
} from '@backstage/test-utils';
import {
  PermissionApi,
  permissionApiRef,
} from '@backstage/plugin-permission-react';
import { screen, waitFor, within } from '@testing-library/react';
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

// Everyone here may manage clusters; ClustersPage.readOnly.test.tsx covers those who may not
// (usePermission caches answers for the whole module, so one file per answer).
function render(
  paasApi: PaasApi,
  permissionApi: PermissionApi = mockApis.permission(),
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [paasApiRef, paasApi],
        [permissionApiRef, permissionApi],
      ]}
    >
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

async function openRegisterDialog(user: ReturnType<typeof userEvent.setup>) {
  await user.click(
    await screen.findByRole('button', { name: 'Register cluster' }),
  );
  return screen.findByRole('dialog', { name: 'Register cluster' });
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
      await screen.findByRole('button', { name: 'Register the first cluster' }),
    ).toBeInTheDocument();
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

  it('offers the states a cluster is not in, and Remove only for registered clusters', async () => {
    await render(mockPaasApi());

    expect(
      await screen.findByRole('button', { name: 'Register cluster' }),
    ).toBeInTheDocument();

    // the state actions offered are the states a cluster is not in
    const gpu = rowOf('EU GPU 1');
    expect(
      within(gpu)
        .getAllByRole('button')
        .map(button => button.getAttribute('aria-label')),
    ).toEqual(['Cordon eu-gpu-1', 'Drain eu-gpu-1', 'Remove eu-gpu-1']);
    // a catalog cluster follows its entity, so it is removed there
    const cpu = rowOf('US CPU 1');
    expect(
      within(cpu)
        .getAllByRole('button')
        .map(button => button.getAttribute('aria-label')),
    ).toEqual(['Mark us-cpu-1 ready', 'Drain us-cpu-1']);
  });

  it('notes that a catalog cluster follows its catalog entity', async () => {
    await render(mockPaasApi());
    await screen.findByText('Clusters (2)');

    const row = rowOf('US CPU 1');
    expect(rowOf('EU GPU 1')).not.toHaveTextContent('catalog entity');
    const note = within(row).getByText(
      'Capacity and labels follow the catalog entity',
    );
    await user.hover(note);
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      'Title, capacity, GPU type and labels come from its catalog Resource and are changed there',
    );
  });

  it('registers a cluster typed in cores and GiB, sending millicores and MiB', async () => {
    const registered = {
      ...clusters[0],
      name: 'eu-west-gpu',
      title: 'EU West GPU',
    };
    const paasApi = mockPaasApi({
      registerCluster: jest.fn().mockResolvedValue(registered),
    });
    await render(paasApi);
    await screen.findByText('Clusters (2)');

    const dialog = await openRegisterDialog(user);
    const register = within(dialog).getByRole('button', { name: 'Register' });
    expect(register).toBeDisabled();

    const name = within(dialog).getByRole('textbox', { name: /Name/ });
    await user.type(name, 'EU West');
    expect(dialog).toHaveTextContent(/lower-case/i);
    await user.clear(name);
    await user.type(name, 'eu-west-gpu');
    await user.type(
      within(dialog).getByRole('textbox', { name: /Title/ }),
      'EU West GPU',
    );
    await user.type(
      within(dialog).getByRole('spinbutton', { name: /CPU \(cores\)/ }),
      '96',
    );
    expect(dialog).toHaveTextContent('96 cores = 96,000 millicores');
    await user.type(
      within(dialog).getByRole('spinbutton', { name: /Memory \(GiB\)/ }),
      '384',
    );
    expect(dialog).toHaveTextContent('384 GiB = 393,216 MiB');
    const gpus = within(dialog).getByRole('spinbutton', { name: /GPUs/ });
    await user.clear(gpus);
    await user.type(gpus, '8');
    await user.type(
      within(dialog).getByRole('textbox', { name: /GPU type/ }),
      'nvidia-a100',
    );
    const labels = within(dialog).getByRole('textbox', { name: /Labels/ });
    await user.type(labels, 'region');
    expect(dialog).toHaveTextContent('"region" is not a key=value pair');
    expect(register).toBeDisabled();
    await user.clear(labels);
    await user.type(labels, 'region=eu-west-1, accelerator = a100');
    expect(
      within(dialog).getByRole('combobox', { name: /Initial state/ }),
    ).toHaveValue('ready');
    await user.click(register);

    expect(paasApi.registerCluster).toHaveBeenCalledWith({
      name: 'eu-west-gpu',
      title: 'EU West GPU',
      capacity: { cpuMillicores: 96000, memoryMib: 393216, gpus: 8 },
      gpuType: 'nvidia-a100',
      labels: { region: 'eu-west-1', accelerator: 'a100' },
      state: 'ready',
    });
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(screen.getByRole('alert')).toHaveTextContent(
      'Registered eu-west-gpu, ready: takes new deployments.',
    );
    await waitFor(() => expect(paasApi.listClusters).toHaveBeenCalledTimes(2));
  });

  it('shows the backend refusal of a registration in the dialog', async () => {
    const message = 'Cluster eu-gpu-1 already exists';
    const paasApi = mockPaasApi({
      registerCluster: jest
        .fn()
        .mockRejectedValue(
          await errorFromBackend(409, 'ConflictError', message),
        ),
    });
    await render(paasApi);
    await screen.findByText('Clusters (2)');

    const dialog = await openRegisterDialog(user);
    await user.type(
      within(dialog).getByRole('textbox', { name: /Name/ }),
      'eu-gpu-1',
    );
    await user.type(
      within(dialog).getByRole('spinbutton', { name: /CPU \(cores\)/ }),
      '0.5',
    );
    await user.type(
      within(dialog).getByRole('spinbutton', { name: /Memory \(GiB\)/ }),
      '1.5',
    );
    await user.selectOptions(
      within(dialog).getByRole('combobox', { name: /Initial state/ }),
      'cordoned',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Register' }));

    expect(paasApi.registerCluster).toHaveBeenCalledWith({
      name: 'eu-gpu-1',
      capacity: { cpuMillicores: 500, memoryMib: 1536, gpus: 0 },
      labels: {},
      state: 'cordoned',
    });
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(message);
    expect(screen.getByRole('dialog')).toBeInTheDocument();
    expect(paasApi.listClusters).toHaveBeenCalledTimes(1);
  });

  it('cordons, drains and readies a cluster with a PATCH of its state, reloading each time', async () => {
    const paasApi = mockPaasApi();
    await render(paasApi);
    await screen.findByText('Clusters (2)');

    await user.click(screen.getByRole('button', { name: 'Cordon eu-gpu-1' }));
    expect(paasApi.updateCluster).toHaveBeenCalledWith('eu-gpu-1', {
      state: 'cordoned',
    });
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'eu-gpu-1 is now cordoned: keeps what runs on it, takes nothing new.',
    );
    await waitFor(() => expect(paasApi.listClusters).toHaveBeenCalledTimes(2));

    await user.click(screen.getByRole('button', { name: 'Drain eu-gpu-1' }));
    expect(paasApi.updateCluster).toHaveBeenLastCalledWith('eu-gpu-1', {
      state: 'draining',
    });
    await waitFor(() => expect(paasApi.listClusters).toHaveBeenCalledTimes(3));

    await user.click(
      screen.getByRole('button', { name: 'Mark us-cpu-1 ready' }),
    );
    expect(paasApi.updateCluster).toHaveBeenLastCalledWith('us-cpu-1', {
      state: 'ready',
    });
    await waitFor(() => expect(paasApi.listClusters).toHaveBeenCalledTimes(4));
  });

  it('shows why a state change was refused', async () => {
    const paasApi = mockPaasApi({
      updateCluster: jest
        .fn()
        .mockRejectedValue(
          await errorFromBackend(
            403,
            'NotAllowedError',
            'Only the platform team may manage clusters',
          ),
        ),
    });
    await render(paasApi);

    await user.click(
      await screen.findByRole('button', { name: 'Cordon eu-gpu-1' }),
    );

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not set eu-gpu-1 to cordoned: Only the platform team may manage clusters',
    );
  });

  it('asks before removing a cluster, and shows the backend refusal while it holds deployments', async () => {
    const message = 'Cluster eu-gpu-1 still has deployments allocated';
    const paasApi = mockPaasApi({
      removeCluster: jest
        .fn()
        .mockRejectedValueOnce(
          await errorFromBackend(409, 'ConflictError', message),
        )
        .mockResolvedValue(undefined),
    });
    await render(paasApi);
    await screen.findByText('Clusters (2)');

    await user.click(screen.getByRole('button', { name: 'Remove eu-gpu-1' }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('Remove EU GPU 1 (eu-gpu-1)?');
    expect(dialog).toHaveTextContent(
      'It still has 16 cores, 64 GiB, 2 GPUs allocated',
    );
    expect(paasApi.removeCluster).not.toHaveBeenCalled();

    await user.click(within(dialog).getByRole('button', { name: 'Remove' }));
    expect(paasApi.removeCluster).toHaveBeenCalledWith('eu-gpu-1');
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(message);
    expect(paasApi.listClusters).toHaveBeenCalledTimes(1);

    await user.click(within(dialog).getByRole('button', { name: 'Remove' }));
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(screen.getByRole('alert')).toHaveTextContent('Removed eu-gpu-1.');
    await waitFor(() => expect(paasApi.listClusters).toHaveBeenCalledTimes(2));
  });
});
