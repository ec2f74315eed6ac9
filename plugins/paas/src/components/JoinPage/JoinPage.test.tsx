import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  errorFromBackend,
  mockPaasApi,
} from '../../__testUtils__/paasFixtures';
import { PaasApi, paasApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import { JoinPage } from './JoinPage';

async function renderJoinPage(paasApi: PaasApi) {
  return renderInTestApp(
    <TestApiProvider apis={[[paasApiRef, paasApi]]}>
      <JoinPage />
    </TestApiProvider>,
    { mountedRoutes: { '/paasport': rootRouteRef } },
  );
}

jest.setTimeout(20_000);

describe('JoinPage', () => {
  const user = userEvent.setup({ delay: null });

  async function join(code: string) {
    await user.type(
      await screen.findByRole('textbox', { name: 'Invite code' }),
      code,
    );
    await user.click(screen.getByRole('button', { name: 'Join' }));
  }

  it('joins the organization and links to its page', async () => {
    const paasApi = mockPaasApi({
      getMyMemberships: jest
        .fn()
        .mockResolvedValueOnce([])
        .mockResolvedValue([
          {
            organization: 'acme-payments',
            userRef: 'user:default/cleo',
            role: 'developer',
            teams: [],
            createdBy: 'user:default/cleo',
            createdAt: '2025-01-05T00:00:00.000Z',
          },
        ]),
      redeemInvite: jest.fn().mockResolvedValue({
        organization: 'acme-payments',
        role: 'developer',
      }),
    });
    await renderJoinPage(paasApi);
    expect(
      await screen.findByText('You are not a member of any organization yet.'),
    ).toBeInTheDocument();

    // pasted codes often carry a stray space or line break
    await join('  PSP-7H3-S3CR3T ');

    expect(paasApi.redeemInvite).toHaveBeenCalledWith('PSP-7H3-S3CR3T');
    expect(
      await screen.findByText('Welcome to Acme Payments'),
    ).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent(
      'You joined Acme Payments as developer',
    );
    expect(
      screen.getByRole('button', { name: 'Open Acme Payments' }),
    ).toHaveAttribute('href', '/paasport/organizations/acme-payments');
    expect(screen.getByRole('textbox', { name: 'Invite code' })).toHaveValue(
      '',
    );
    // the list of the user's organizations is refreshed
    expect(
      await screen.findByRole('link', { name: 'acme-payments' }),
    ).toHaveAttribute('href', '/paasport/organizations/acme-payments');
  });

  it('shows the one message the backend gives for any invalid code', async () => {
    const paasApi = mockPaasApi({
      redeemInvite: jest
        .fn()
        .mockRejectedValue(
          await errorFromBackend(
            400,
            'InputError',
            'This invite code is invalid, expired or used up',
          ),
        ),
    });
    await renderJoinPage(paasApi);

    await join('WRONG');

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'This code does not work',
    );
    expect(screen.getByRole('alert')).toHaveTextContent(
      'This invite code is invalid, expired or used up',
    );
    expect(screen.getByRole('button', { name: 'Join' })).toBeEnabled();
  });

  it('says so when the user is already a member', async () => {
    const paasApi = mockPaasApi({
      redeemInvite: jest
        .fn()
        .mockRejectedValue(
          await errorFromBackend(
            409,
            'ConflictError',
            "You are already a member of 'acme-payments'",
          ),
        ),
    });
    await renderJoinPage(paasApi);

    await join('PSP-7H3-S3CR3T');

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'You are already a member',
    );
    expect(screen.getByRole('alert')).toHaveTextContent(
      "You are already a member of 'acme-payments'",
    );
  });

  it('tells how long to wait after too many attempts, from Retry-After', async () => {
    const paasApi = mockPaasApi({
      redeemInvite: jest.fn().mockRejectedValue(
        await errorFromBackend(
          429,
          'TooManyRequestsError',
          'Too many attempts; retry in 30 s',
          {
            'Retry-After': '30',
          },
        ),
      ),
    });
    await renderJoinPage(paasApi);

    await join('GUESS-1');

    expect(await screen.findByRole('alert')).toHaveTextContent(
      /^Too many attempts, retry in (30|29) s$/,
    );
    expect(screen.getByRole('button', { name: 'Join' })).toBeDisabled();
  });

  it('counts the wait down and lets the user try again', async () => {
    const paasApi = mockPaasApi({
      redeemInvite: jest.fn().mockRejectedValue(
        await errorFromBackend(
          429,
          'TooManyRequestsError',
          'Too many attempts; retry in 2 s',
          {
            'Retry-After': '2',
          },
        ),
      ),
    });
    await renderJoinPage(paasApi);

    await join('GUESS-1');

    expect(await screen.findByRole('alert')).toHaveTextContent(
      /retry in [12] s/,
    );
    await waitFor(
      () =>
        expect(screen.getByRole('alert')).toHaveTextContent(
          'You can try again now.',
        ),
      { timeout: 5000 },
    );
    expect(screen.getByRole('button', { name: 'Join' })).toBeEnabled();
  });

  it('still says to wait when the Retry-After header cannot be read', async () => {
    const paasApi = mockPaasApi({
      redeemInvite: jest
        .fn()
        .mockRejectedValue(
          await errorFromBackend(
            429,
            'TooManyRequestsError',
            'Too many attempts; retry in 42 s',
          ),
        ),
    });
    await renderJoinPage(paasApi);

    await join('GUESS-1');

    // the backend's own message, which names the wait as of the refusal
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Too many attempts; retry in 42 s',
    );
  });
});
