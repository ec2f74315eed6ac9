import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { PriorityClasses } from '@paasport/plugin-paas-common';
import {
  deployments,
  errorFromBackend,
  mockPaasApi,
  priorityClasses,
} from '../../../__testUtils__/paasFixtures';
import { renderOrganizationPage } from '../../../__testUtils__/renderOrganizationPage';

jest.setTimeout(30_000);

// Nothing in these waits for the scheduler, so no reload every 10 s adds to the counted calls.
const settled = deployments.filter(d =>
  ['running', 'stopped', 'failed'].includes(d.state),
);

function rowOf(name: string): HTMLElement {
  return screen.getByText(name).closest('tr')!;
}

async function openDeployDialog(user: ReturnType<typeof userEvent.setup>) {
  await user.click(await screen.findByRole('button', { name: 'Deploy' }));
  const dialog = await screen.findByRole('dialog');
  await within(dialog).findByRole('combobox', { name: /Team/ });
  return dialog;
}

describe('DeploymentsSection', () => {
  const user = userEvent.setup({ delay: null });

  it('lists deployments with their requests, state and place in the queue', async () => {
    const paasApi = mockPaasApi();
    await renderOrganizationPage(paasApi, 'deployments');

    expect(await screen.findByText('Deployments (6)')).toBeInTheDocument();
    expect(paasApi.listDeployments).toHaveBeenCalledWith('acme-payments');
    expect(screen.getByRole('tab', { name: 'Deployments' })).toHaveAttribute(
      'aria-selected',
      'true',
    );

    const api = rowOf('checkout/api');
    expect(api).toHaveTextContent('ghcr.io/acme/checkout:1.4.2');
    expect(api).toHaveTextContent('2 × 0.5 cores, 1 GiB');
    expect(within(api).getByTestId('deployment-state')).toHaveTextContent(
      'queued',
    );
    expect(api).toHaveTextContent('#2 of 5');
    expect(api).toHaveTextContent('wait: 4–10 minutes');
    expect(api).toHaveTextContent('team checkout has 0.5 cores of CPU left');

    expect(rowOf('ledger/batch')).toHaveTextContent('#5 of 5');
    expect(rowOf('ledger/batch')).not.toHaveTextContent('wait:');

    const trainer = rowOf('checkout/trainer');
    expect(trainer).toHaveTextContent(
      '1 × 8 cores, 64 GiB, 2 GPUs (nvidia-a100)',
    );
    expect(trainer).toHaveTextContent('critical');
    expect(trainer).toHaveTextContent('eu-gpu-1');
    expect(trainer).toHaveTextContent('preempted 1×');

    expect(
      within(rowOf('checkout/web')).getByRole('link', {
        name: 'waits for an approval',
      }),
    ).toHaveAttribute(
      'href',
      '/paasport/organizations/acme-payments/approvals',
    );
    expect(rowOf('ledger/broken')).toHaveTextContent('image pull failed');

    // stop where something is held or waiting, start where nothing is
    expect(
      within(api).getByRole('button', { name: 'Stop checkout/api' }),
    ).toBeInTheDocument();
    expect(
      within(api).queryByRole('button', { name: /Start/ }),
    ).not.toBeInTheDocument();
    expect(
      within(rowOf('ledger/old')).getByRole('button', {
        name: 'Start ledger/old',
      }),
    ).toBeInTheDocument();
    expect(
      within(rowOf('ledger/old')).queryByRole('button', { name: /Stop/ }),
    ).not.toBeInTheDocument();
    expect(
      within(rowOf('ledger/broken')).getByRole('button', {
        name: 'Start ledger/broken',
      }),
    ).toBeInTheDocument();

    expect(screen.getByRole('button', { name: 'Clusters' })).toHaveAttribute(
      'href',
      '/paasport/clusters',
    );
  });

  it('has empty and error states', async () => {
    const { unmount } = await renderOrganizationPage(
      mockPaasApi({ listDeployments: jest.fn().mockResolvedValue([]) }),
      'deployments',
    );
    expect(await screen.findByText('No deployments yet')).toBeInTheDocument();
    await user.click(
      screen.getByRole('button', { name: 'Deploy the first one' }),
    );
    expect(await screen.findByRole('dialog')).toBeInTheDocument();
    unmount();

    await renderOrganizationPage(
      mockPaasApi({
        listDeployments: jest
          .fn()
          .mockRejectedValue(
            await errorFromBackend(403, 'NotAllowedError', 'Not a member'),
          ),
      }),
      'deployments',
    );
    expect(
      await screen.findByText(/Could not load the deployments/),
    ).toBeInTheDocument();
    expect(screen.getAllByText(/Not a member/).length).toBeGreaterThan(0);
  });

  it('submits a deployment checked with the schema, with parsed placement labels', async () => {
    const paasApi = mockPaasApi({
      listDeployments: jest.fn().mockResolvedValue(settled),
      submitDeployment: jest
        .fn()
        .mockResolvedValue({ ...deployments[3], name: 'api' }),
    });
    await renderOrganizationPage(paasApi, 'deployments');
    await screen.findByText('Deployments (3)');

    const dialog = await openDeployDialog(user);
    const team = within(dialog).getByRole('combobox', { name: /Team/ });
    expect(
      within(team)
        .getAllByRole('option')
        .map(option => option.getAttribute('value')),
    ).toEqual(['checkout', 'ledger']);
    const deploy = within(dialog).getByRole('button', { name: 'Deploy' });
    expect(deploy).toBeDisabled();

    await user.type(
      within(dialog).getByRole('textbox', { name: /Name/ }),
      'api',
    );
    const image = within(dialog).getByRole('textbox', { name: /Image/ });
    await user.type(image, 'Not An Image');
    expect(dialog).toHaveTextContent('must be a container image reference');
    await user.clear(image);
    await user.type(image, 'ghcr.io/acme/checkout:1.4.2');
    const replicas = within(dialog).getByRole('spinbutton', {
      name: /Replicas/,
    });
    await user.clear(replicas);
    await user.type(replicas, '2');
    await user.type(
      within(dialog).getByRole('spinbutton', { name: /CPU per replica/ }),
      '500',
    );
    expect(dialog).toHaveTextContent('0.5 cores per replica');
    await user.type(
      within(dialog).getByRole('spinbutton', { name: /Memory per replica/ }),
      '1024',
    );
    expect(dialog).toHaveTextContent('Asks for 1 core, 2 GiB in total.');
    expect(deploy).toBeEnabled();

    // a GPU type without GPUs is refused before anything is sent
    const gpuType = within(dialog).getByRole('textbox', { name: /GPU type/ });
    await user.type(gpuType, 'nvidia-a100');
    expect(dialog).toHaveTextContent('a gpuType needs resources.gpus above 0');
    expect(deploy).toBeDisabled();
    await user.clear(gpuType);

    const placement = within(dialog).getByRole('textbox', {
      name: /Placement labels/,
    });
    await user.type(placement, 'region');
    expect(dialog).toHaveTextContent('"region" is not a key=value pair');
    expect(deploy).toBeDisabled();
    await user.clear(placement);
    await user.type(placement, 'region=eu-west-1, environment = production');

    const priorityClass = within(dialog).getByRole('combobox', {
      name: /Priority class/,
    });
    expect(
      within(priorityClass)
        .getAllByRole('option')
        .map(option => [option.getAttribute('value'), option.textContent]),
    ).toEqual([
      ['critical', 'critical'],
      ['standard', 'standard (default)'],
      ['batch', 'batch'],
    ]);
    expect(priorityClass).toHaveValue('standard');
    await user.selectOptions(priorityClass, 'critical');
    await user.type(
      within(dialog).getByRole('textbox', { name: /Reason/ }),
      '  launch day ',
    );
    await user.click(deploy);

    expect(paasApi.submitDeployment).toHaveBeenCalledWith('acme-payments', {
      team: 'checkout',
      name: 'api',
      image: 'ghcr.io/acme/checkout:1.4.2',
      replicas: 2,
      resources: { cpuMillicores: 500, memoryMib: 1024, gpus: 0 },
      priorityClass: 'critical',
      placement: { region: 'eu-west-1', environment: 'production' },
      reason: 'launch day',
    });
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(
      screen.getByText(/checkout\/api waits for an approval before it queues/),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Approvals tab' })).toHaveAttribute(
      'href',
      '/paasport/organizations/acme-payments/approvals',
    );
    expect(paasApi.listDeployments).toHaveBeenCalledTimes(2);
  });

  it('shows the backend refusal of a submission in the dialog', async () => {
    const message =
      'No cluster with label region=mars could ever hold checkout/api';
    const paasApi = mockPaasApi({
      listDeployments: jest.fn().mockResolvedValue(settled),
      submitDeployment: jest
        .fn()
        .mockRejectedValue(
          await errorFromBackend(409, 'ConflictError', message),
        ),
    });
    await renderOrganizationPage(paasApi, 'deployments');
    await screen.findByText('Deployments (3)');

    const dialog = await openDeployDialog(user);
    await user.selectOptions(
      within(dialog).getByRole('combobox', { name: /Team/ }),
      'ledger',
    );
    await user.type(
      within(dialog).getByRole('textbox', { name: /Name/ }),
      'api',
    );
    await user.type(
      within(dialog).getByRole('textbox', { name: /Image/ }),
      'ghcr.io/acme/checkout:1.4.2',
    );
    await user.type(
      within(dialog).getByRole('spinbutton', { name: /CPU per replica/ }),
      '250',
    );
    await user.type(
      within(dialog).getByRole('spinbutton', { name: /Memory per replica/ }),
      '256',
    );
    await user.type(
      within(dialog).getByRole('textbox', { name: /Placement labels/ }),
      'region=mars',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Deploy' }));

    expect(paasApi.submitDeployment).toHaveBeenCalledWith('acme-payments', {
      team: 'ledger',
      name: 'api',
      image: 'ghcr.io/acme/checkout:1.4.2',
      replicas: 1,
      resources: { cpuMillicores: 250, memoryMib: 256, gpus: 0 },
      priorityClass: 'standard',
      placement: { region: 'mars' },
    });
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(message);
    expect(screen.getByRole('dialog')).toBeInTheDocument();
    expect(paasApi.listDeployments).toHaveBeenCalledTimes(1);
  });

  it('keeps the root filesystem read-only unless the form opts out', async () => {
    const paasApi = mockPaasApi({
      listDeployments: jest.fn().mockResolvedValue(settled),
      submitDeployment: jest.fn().mockResolvedValue(deployments[0]),
    });
    await renderOrganizationPage(paasApi, 'deployments');
    await screen.findByText('Deployments (3)');

    const dialog = await openDeployDialog(user);
    await user.type(
      within(dialog).getByRole('textbox', { name: /Name/ }),
      'legacy',
    );
    await user.type(
      within(dialog).getByRole('textbox', { name: /Image/ }),
      'ghcr.io/acme/legacy:7',
    );
    await user.type(
      within(dialog).getByRole('spinbutton', { name: /CPU per replica/ }),
      '250',
    );
    await user.type(
      within(dialog).getByRole('spinbutton', { name: /Memory per replica/ }),
      '256',
    );
    const writable = within(dialog).getByRole('checkbox', {
      name: /Writable root filesystem/,
    });
    expect(writable).not.toBeChecked();
    await user.click(writable);
    await user.click(within(dialog).getByRole('button', { name: 'Deploy' }));

    await waitFor(() =>
      expect(paasApi.submitDeployment).toHaveBeenCalledWith(
        'acme-payments',
        expect.objectContaining({
          name: 'legacy',
          writableRootFilesystem: true,
        }),
      ),
    );
  });

  it('waits for the priority classes before showing the form', async () => {
    let answer: (classes: PriorityClasses) => void = () => {};
    const paasApi = mockPaasApi({
      listDeployments: jest.fn().mockResolvedValue(settled),
      getPriorityClasses: jest.fn(
        () =>
          new Promise<PriorityClasses>(resolve => {
            answer = resolve;
          }),
      ),
    });
    await renderOrganizationPage(paasApi, 'deployments');
    await user.click(await screen.findByRole('button', { name: 'Deploy' }));
    const dialog = await screen.findByRole('dialog');

    expect(await within(dialog).findByTestId('progress')).toBeInTheDocument();
    expect(
      within(dialog).queryByRole('combobox', { name: /Team/ }),
    ).not.toBeInTheDocument();

    await act(async () => answer(priorityClasses));
    expect(
      await within(dialog).findByRole('combobox', { name: /Priority class/ }),
    ).toHaveValue('standard');
    expect(paasApi.getPriorityClasses).toHaveBeenCalledTimes(1);
  });

  it('leaves the class to the backend, with a note, when the classes cannot be loaded', async () => {
    const paasApi = mockPaasApi({
      listDeployments: jest.fn().mockResolvedValue(settled),
      getPriorityClasses: jest
        .fn()
        .mockRejectedValue(
          await errorFromBackend(503, 'ServiceUnavailableError', 'try later'),
        ),
      submitDeployment: jest.fn().mockResolvedValue(deployments[0]),
    });
    await renderOrganizationPage(paasApi, 'deployments');
    await screen.findByText('Deployments (3)');

    const dialog = await openDeployDialog(user);
    const priorityClass = within(dialog).getByRole('combobox', {
      name: /Priority class/,
    });
    expect(priorityClass).toBeDisabled();
    expect(priorityClass).toHaveDisplayValue("the backend's default");
    expect(dialog).toHaveTextContent(
      'Could not load the priority classes (try later); the backend will use its default class.',
    );

    await user.type(
      within(dialog).getByRole('textbox', { name: /Name/ }),
      'api',
    );
    await user.type(
      within(dialog).getByRole('textbox', { name: /Image/ }),
      'ghcr.io/acme/checkout:1.4.2',
    );
    await user.type(
      within(dialog).getByRole('spinbutton', { name: /CPU per replica/ }),
      '250',
    );
    await user.type(
      within(dialog).getByRole('spinbutton', { name: /Memory per replica/ }),
      '256',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Deploy' }));

    expect(paasApi.submitDeployment).toHaveBeenCalledWith('acme-payments', {
      team: 'checkout',
      name: 'api',
      image: 'ghcr.io/acme/checkout:1.4.2',
      replicas: 1,
      resources: { cpuMillicores: 250, memoryMib: 256, gpus: 0 },
      placement: {},
    });
  });

  it('stops, starts and deletes deployments, reloading the list each time', async () => {
    const paasApi = mockPaasApi({
      listDeployments: jest.fn().mockResolvedValue(settled),
    });
    await renderOrganizationPage(paasApi, 'deployments');
    await screen.findByText('Deployments (3)');

    await user.click(
      screen.getByRole('button', { name: 'Stop checkout/trainer' }),
    );
    expect(paasApi.stopDeployment).toHaveBeenCalledWith('dep-trainer');
    await waitFor(() =>
      expect(paasApi.listDeployments).toHaveBeenCalledTimes(2),
    );

    await user.click(screen.getByRole('button', { name: 'Start ledger/old' }));
    expect(paasApi.startDeployment).toHaveBeenCalledWith('dep-old');
    await waitFor(() =>
      expect(paasApi.listDeployments).toHaveBeenCalledTimes(3),
    );

    await user.click(
      screen.getByRole('button', { name: 'Delete ledger/broken' }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('Delete ledger/broken (failed)?');
    expect(paasApi.deleteDeployment).not.toHaveBeenCalled();
    await user.click(within(dialog).getByRole('button', { name: 'Delete' }));
    expect(paasApi.deleteDeployment).toHaveBeenCalledWith('dep-broken');
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    await waitFor(() =>
      expect(paasApi.listDeployments).toHaveBeenCalledTimes(4),
    );
  });

  it('shows why a stop was refused', async () => {
    const paasApi = mockPaasApi({
      stopDeployment: jest
        .fn()
        .mockRejectedValue(
          await errorFromBackend(
            403,
            'NotAllowedError',
            "Viewers of 'acme-payments' may not stop deployments",
          ),
        ),
    });
    await renderOrganizationPage(paasApi, 'deployments');

    await user.click(
      await screen.findByRole('button', { name: 'Stop checkout/trainer' }),
    );

    expect(await screen.findByRole('alert')).toHaveTextContent(
      "Could not stop checkout/trainer: Viewers of 'acme-payments' may not stop deployments",
    );
  });

  it("shows a deployment's history", async () => {
    const paasApi = mockPaasApi();
    await renderOrganizationPage(paasApi, 'deployments');

    await user.click(
      await screen.findByRole('button', {
        name: 'History of checkout/trainer',
      }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'History of checkout/trainer',
    });
    expect(
      await within(dialog).findByText('Admitted onto eu-gpu-1', {
        exact: false,
      }),
    ).toBeInTheDocument();
    expect(paasApi.listDeploymentEvents).toHaveBeenCalledWith('dep-trainer');
    const items = within(dialog).getAllByRole('listitem');
    expect(items.map(item => item.textContent)).toEqual([
      expect.stringContaining('submitted: Queued at priority critical'),
      expect.stringContaining('admitted: Admitted onto eu-gpu-1'),
      expect.stringContaining(
        'preempted: Preempted by acme-research/train-llm',
      ),
    ]);
    expect(within(items[0]).getByRole('link', { name: /ada/ })).toHaveAttribute(
      'href',
      '/catalog/default/user/ada',
    );
    expect(dialog).toHaveTextContent('Preempted 1 time');
  });
});

describe('DeploymentsSection polling', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('reloads every 10 s while something waits, and stops when unmounted', async () => {
    jest.useFakeTimers({ advanceTimers: true });
    const paasApi = mockPaasApi();
    const { unmount } = await renderOrganizationPage(paasApi, 'deployments');
    await screen.findByText('Deployments (6)');
    expect(paasApi.listDeployments).toHaveBeenCalledTimes(1);

    await act(async () => {
      jest.advanceTimersByTime(10_000);
    });
    await waitFor(() =>
      expect(paasApi.listDeployments).toHaveBeenCalledTimes(2),
    );

    unmount();
    await act(async () => {
      jest.advanceTimersByTime(30_000);
    });
    expect(paasApi.listDeployments).toHaveBeenCalledTimes(2);
  });

  it('does not reload when nothing waits for the scheduler', async () => {
    jest.useFakeTimers({ advanceTimers: true });
    const paasApi = mockPaasApi({
      listDeployments: jest.fn().mockResolvedValue(settled),
    });
    await renderOrganizationPage(paasApi, 'deployments');
    await screen.findByText('Deployments (3)');

    await act(async () => {
      jest.advanceTimersByTime(30_000);
    });
    expect(paasApi.listDeployments).toHaveBeenCalledTimes(1);
  });
});
