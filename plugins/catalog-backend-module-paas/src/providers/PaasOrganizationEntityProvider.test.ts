import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { EntityProviderConnection } from '@backstage/plugin-catalog-node';
import { Membership, Organization, Team } from '@paasport/plugin-paas-common';
import { PaasService } from '@paasport/plugin-paas-node';
import { PaasOrganizationEntityProvider } from './PaasOrganizationEntityProvider';

const created: Organization = {
  name: 'acme-payments',
  title: 'Acme Payments',
  description: 'Everything that moves money',
  createdBy: 'user:default/ada.lovelace',
  createdAt: '2026-01-01T00:00:00.000Z',
};
const createdWithoutDescription: Organization = {
  name: 'research',
  title: 'research',
  createdBy: 'user:default/ada.lovelace',
  createdAt: '2026-01-02T00:00:00.000Z',
};
const adopted: Organization = {
  name: 'payments',
  title: 'Payments',
  groupRef: 'group:default/payments',
  createdBy: 'user:default/ada.lovelace',
  createdAt: '2026-01-03T00:00:00.000Z',
};

function team(
  organization: string,
  name: string,
  extra: Partial<Team> = {},
): Team {
  return {
    organization,
    name,
    title: name,
    createdBy: 'user:default/ada.lovelace',
    createdAt: '2026-01-04T00:00:00.000Z',
    ...extra,
  };
}

function member(
  organization: string,
  userRef: string,
  role: Membership['role'],
  teams: string[] = [],
): Membership {
  return {
    organization,
    userRef,
    role,
    teams,
    createdBy: 'user:default/ada.lovelace',
    createdAt: '2026-01-04T00:00:00.000Z',
  };
}

const teams: Record<string, Team[]> = {
  'acme-payments': [
    team('acme-payments', 'checkout', {
      title: 'Checkout',
      description: 'The checkout pages',
    }),
    team('acme-payments', 'ledger', { groupRef: 'group:default/ledger' }),
  ],
  payments: [team('payments', 'fraud', { title: 'Fraud' })],
};
const members: Record<string, Membership[]> = {
  'acme-payments': [
    member('acme-payments', 'user:default/ada.lovelace', 'admin', [
      'checkout',
      'ledger',
    ]),
    member('acme-payments', 'user:contractors/bob', 'developer', ['checkout']),
    member('acme-payments', 'user:default/grace.hopper', 'viewer'),
  ],
  payments: [
    member('payments', 'user:default/alan.turing', 'admin', ['fraud']),
  ],
};

const LOCATION = 'paas:http://localhost:7007/api/paas';

function setup(options: { baseUrl?: string } = {}) {
  const paas = {
    listOrganizations: jest.fn(async () => [
      created,
      adopted,
      createdWithoutDescription,
    ]),
    listTeams: jest.fn(
      async (organization: string) => teams[organization] ?? [],
    ),
    listMembers: jest.fn(
      async (organization: string) => members[organization] ?? [],
    ),
  } as unknown as jest.Mocked<PaasService>;
  const logger = mockServices.logger.mock();
  const taskRunner = { run: jest.fn() };
  const connection: jest.Mocked<EntityProviderConnection> = {
    applyMutation: jest.fn(),
    refresh: jest.fn(),
  };
  const provider = new PaasOrganizationEntityProvider({
    paas,
    logger,
    taskRunner,
    baseUrl:
      'baseUrl' in options ? options.baseUrl : 'http://localhost:7007/api/paas',
  });

  /** The entities of the last mutation, which must have been a full one. */
  function published(): Entity[] {
    const mutation = connection.applyMutation.mock.lastCall?.[0];
    if (mutation?.type !== 'full') {
      throw new Error(`expected a full mutation, got ${mutation?.type}`);
    }
    for (const deferred of mutation.entities) {
      expect(deferred.locationKey).toBe('paas-organizations');
    }
    return mutation.entities.map(e => e.entity);
  }
  const group = (name: string) =>
    published().find(e => e.metadata.name === name);

  return { paas, logger, taskRunner, connection, provider, published, group };
}

describe('PaasOrganizationEntityProvider', () => {
  it('is named paas-organizations and refreshes on its task runner', async () => {
    const { provider, taskRunner, connection } = setup();

    await provider.connect(connection);

    expect(provider.getProviderName()).toBe('paas-organizations');
    expect(taskRunner.run).toHaveBeenCalledWith({
      id: 'paas-organizations:refresh',
      fn: expect.any(Function),
    });
    await taskRunner.run.mock.calls[0][0].fn();
    expect(connection.applyMutation).toHaveBeenCalledTimes(1);
  });

  it('publishes the groups of organizations, then of teams, in one full mutation', async () => {
    const { provider, connection, published } = setup();
    await provider.connect(connection);

    await provider.refresh();

    expect(connection.applyMutation).toHaveBeenCalledTimes(1);
    expect(published().map(e => e.metadata.name)).toEqual([
      'acme-payments',
      'research',
      'acme-payments-checkout',
      'payments-fraud',
    ]);
  });

  it('publishes a created organization as a group with its members', async () => {
    const { provider, connection, group } = setup();
    await provider.connect(connection);

    await provider.refresh();

    expect(group('acme-payments')).toEqual({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: {
        name: 'acme-payments',
        namespace: 'default',
        title: 'Acme Payments',
        description: 'Everything that moves money',
        annotations: {
          'backstage.io/managed-by-location': LOCATION,
          'backstage.io/managed-by-origin-location': LOCATION,
          'paasport.io/organization': 'acme-payments',
        },
      },
      spec: {
        type: 'organization',
        profile: { displayName: 'Acme Payments' },
        children: [],
        members: ['ada.lovelace', 'user:contractors/bob', 'grace.hopper'],
      },
    });
    expect(group('research')).toEqual({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: {
        name: 'research',
        namespace: 'default',
        title: 'research',
        annotations: {
          'backstage.io/managed-by-location': LOCATION,
          'backstage.io/managed-by-origin-location': LOCATION,
          'paasport.io/organization': 'research',
        },
      },
      spec: {
        type: 'organization',
        profile: { displayName: 'research' },
        children: [],
        members: [],
      },
    });
  });

  it("publishes a team of a created organization under the organization's group", async () => {
    const { provider, connection, group } = setup();
    await provider.connect(connection);

    await provider.refresh();

    expect(group('acme-payments-checkout')).toEqual({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: {
        name: 'acme-payments-checkout',
        namespace: 'default',
        title: 'Checkout',
        description: 'The checkout pages',
        annotations: {
          'backstage.io/managed-by-location': LOCATION,
          'backstage.io/managed-by-origin-location': LOCATION,
          'paasport.io/organization': 'acme-payments',
          'paasport.io/team': 'checkout',
        },
      },
      spec: {
        type: 'team',
        profile: { displayName: 'Checkout' },
        parent: 'group:default/acme-payments',
        children: [],
        members: ['ada.lovelace', 'user:contractors/bob'],
      },
    });
  });

  it('publishes a team of an adopting organization under the adopted group, and not the organization', async () => {
    const { provider, connection, group } = setup();
    await provider.connect(connection);

    await provider.refresh();

    expect(group('payments')).toBeUndefined();
    expect(group('payments-fraud')).toEqual({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: {
        name: 'payments-fraud',
        namespace: 'default',
        title: 'Fraud',
        annotations: {
          'backstage.io/managed-by-location': LOCATION,
          'backstage.io/managed-by-origin-location': LOCATION,
          'paasport.io/organization': 'payments',
          'paasport.io/team': 'fraud',
        },
      },
      spec: {
        type: 'team',
        profile: { displayName: 'Fraud' },
        parent: 'group:default/payments',
        children: [],
        members: ['alan.turing'],
      },
    });
  });

  it('publishes nothing for a team that adopts an existing group', async () => {
    const { provider, connection, group } = setup();
    await provider.connect(connection);

    await provider.refresh();

    expect(group('acme-payments-ledger')).toBeUndefined();
  });

  it('publishes nothing for an adopting organization without teams', async () => {
    const { provider, connection, paas } = setup();
    paas.listOrganizations.mockResolvedValue([
      { ...adopted, name: 'adopted-only' },
    ]);
    await provider.connect(connection);

    await provider.refresh();

    expect(connection.applyMutation).toHaveBeenCalledWith({
      type: 'full',
      entities: [],
    });
  });

  it('removes the groups of deleted organizations and teams with the next full mutation', async () => {
    const { provider, connection, paas, published } = setup();
    await provider.connect(connection);
    await provider.refresh();

    paas.listOrganizations.mockResolvedValue([created]);
    paas.listTeams.mockResolvedValue([]);
    await provider.refresh();

    expect(connection.applyMutation).toHaveBeenCalledTimes(2);
    expect(published().map(e => e.metadata.name)).toEqual(['acme-payments']);
  });

  const refused = () => new Error('connect ECONNREFUSED');
  it.each<
    [
      part: string,
      fail: (paas: jest.Mocked<PaasService>) => void,
      message: string,
    ]
  >([
    [
      'the organizations',
      paas => paas.listOrganizations.mockRejectedValue(refused()),
      'connect ECONNREFUSED',
    ],
    [
      'the teams of one organization',
      paas =>
        paas.listTeams.mockImplementation(async organization => {
          if (organization === 'research') throw refused();
          return [];
        }),
      "Could not read the teams and members of 'research'",
    ],
    [
      'the members of one organization',
      paas =>
        paas.listMembers.mockImplementation(async organization => {
          if (organization === 'research') throw refused();
          return [];
        }),
      "Could not read the teams and members of 'research'",
    ],
  ])(
    'keeps the published groups when %s cannot be read',
    async (_part, fail, message) => {
      const { provider, connection, paas, logger } = setup();
      await provider.connect(connection);
      await provider.refresh();
      expect(connection.applyMutation).toHaveBeenCalledTimes(1);

      fail(paas);
      await expect(provider.refresh()).resolves.toBeUndefined();

      expect(connection.applyMutation).toHaveBeenCalledTimes(1);
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringContaining(
          'Could not read Paasport organizations, teams and members',
        ),
        expect.objectContaining({
          message: expect.stringContaining(message),
        }),
      );
    },
  );

  it('reads Paasport with its own service credentials', async () => {
    const { provider, connection, paas } = setup();
    await provider.connect(connection);

    await provider.refresh();

    expect(paas.listOrganizations).toHaveBeenCalledWith();
    expect(paas.listTeams.mock.calls).toEqual([
      ['acme-payments'],
      ['payments'],
      ['research'],
    ]);
    expect(paas.listMembers.mock.calls).toEqual([
      ['acme-payments'],
      ['payments'],
      ['research'],
    ]);
  });

  it('reads many organizations a few at a time', async () => {
    const { provider, connection, paas, published } = setup();
    const many = Array.from({ length: 20 }, (_, i) => ({
      ...createdWithoutDescription,
      name: `org-${i}`,
    }));
    let inFlight = 0;
    let mostInFlight = 0;
    paas.listOrganizations.mockResolvedValue(many);
    paas.listTeams.mockImplementation(async () => {
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      await new Promise(resolve => setTimeout(resolve, 1));
      inFlight -= 1;
      return [];
    });
    await provider.connect(connection);

    await provider.refresh();

    expect(mostInFlight).toBeGreaterThan(1);
    expect(mostInFlight).toBeLessThanOrEqual(4);
    expect(published().map(e => e.metadata.name)).toEqual(
      many.map(o => o.name),
    );
  });

  it("keeps the organization's group when a team's group would have the same name", async () => {
    const { provider, connection, paas, logger, published, group } = setup();
    const acme = { ...createdWithoutDescription, name: 'acme', title: 'Acme' };
    paas.listOrganizations.mockResolvedValue([acme, created]);
    paas.listTeams.mockImplementation(async organization =>
      organization === 'acme' ? [team('acme', 'payments')] : [],
    );
    await provider.connect(connection);

    await provider.refresh();

    expect(published().map(e => e.metadata.name)).toEqual([
      'acme',
      'acme-payments',
    ]);
    expect(group('acme-payments')?.spec?.type).toBe('organization');
    expect(logger.warn).toHaveBeenCalledWith(
      "Not publishing the Paasport group 'acme-payments' of team 'payments' of 'acme': " +
        "organization 'acme-payments' has a group of that name, created earlier",
    );
  });

  describe('when two organizations would publish the same group name', () => {
    const org = (name: string, createdAt: string, groupRef?: string) => ({
      ...createdWithoutDescription,
      name,
      title: name,
      createdAt,
      ...(groupRef ? { groupRef } : {}),
    });

    function serve(
      paas: jest.Mocked<PaasService>,
      organizations: Organization[],
      teamsOf: Record<string, Team[]>,
    ) {
      paas.listOrganizations.mockResolvedValue(organizations);
      paas.listTeams.mockImplementation(
        async organization => teamsOf[organization] ?? [],
      );
      paas.listMembers.mockResolvedValue([]);
    }

    // Team `c` of `a-b` and team `b-c` of `a` are both `a-b-c`; `a`'s team is older.
    const ab = org('a-b', '2026-01-01T00:00:00.000Z');
    const a = org('a', '2026-01-02T00:00:00.000Z');
    const collidingTeams = {
      'a-b': [team('a-b', 'c', { createdAt: '2026-01-05T00:00:00.000Z' })],
      a: [team('a', 'b-c', { createdAt: '2026-01-03T00:00:00.000Z' })],
    };

    it.each([
      ['a-b first', [ab, a]],
      ['a first', [a, ab]],
    ])(
      'keeps the group created earlier, whatever the order (%s), and names both organizations',
      async (_order, organizations) => {
        const { provider, connection, paas, logger, published, group } =
          setup();
        serve(paas, organizations, collidingTeams);
        await provider.connect(connection);

        await provider.refresh();

        expect(
          published().filter(e => e.metadata.name === 'a-b-c'),
        ).toHaveLength(1);
        expect(group('a-b-c')?.metadata.annotations).toMatchObject({
          'paasport.io/organization': 'a',
          'paasport.io/team': 'b-c',
        });
        expect(logger.warn).toHaveBeenCalledWith(
          "Not publishing the Paasport group 'a-b-c' of team 'c' of 'a-b': " +
            "team 'b-c' of 'a' has a group of that name, created earlier",
        );
      },
    );

    it('publishes no group named like a group another organization adopts', async () => {
      const { provider, connection, paas, logger, published, group } = setup();
      serve(
        paas,
        [
          org('a', '2026-01-01T00:00:00.000Z'),
          org('x', '2026-01-02T00:00:00.000Z', 'group:default/a-b'),
          org('y', '2026-01-02T00:00:00.000Z'),
        ],
        {
          a: [team('a', 'b'), team('a', 'ok')],
          x: [team('x', 'q')],
          y: [team('y', 'z', { groupRef: 'group:default/A-OK' })],
        },
      );
      await provider.connect(connection);

      await provider.refresh();

      expect(published().map(e => e.metadata.name)).toEqual(['a', 'y', 'x-q']);
      expect(group('x-q')?.spec?.parent).toBe('group:default/a-b');
      expect(logger.warn).toHaveBeenCalledWith(
        "Not publishing the Paasport group 'a-b' of team 'b' of 'a': " +
          "organization 'x' adopts the catalog group of that name",
      );
      expect(logger.warn).toHaveBeenCalledWith(
        "Not publishing the Paasport group 'a-ok' of team 'ok' of 'a': " +
          "team 'z' of 'y' adopts the catalog group of that name",
      );
    });

    it('lets no later adoption take a group away from the team it was published for', async () => {
      const { provider, connection, paas, logger, published } = setup();
      serve(
        paas,
        [
          org('a', '2026-01-01T00:00:00.000Z'),
          org('x', '2026-01-10T00:00:00.000Z', 'group:default/a-b'),
        ],
        { a: [team('a', 'b')] },
      );
      await provider.connect(connection);

      await provider.refresh();

      expect(published().map(e => e.metadata.name)).toEqual(['a', 'a-b']);
      expect(logger.warn).toHaveBeenCalledWith(
        "The catalog group 'a-b' that organization 'x' adopts is the Paasport group of " +
          "team 'b' of 'a', created earlier; it stays published",
      );
    });

    it("places the teams of an organization whose group is not published under no other tenant's group", async () => {
      const { provider, connection, paas, logger, published, group } = setup();
      serve(
        paas,
        [
          org('acme', '2026-01-01T00:00:00.000Z'),
          org('acme-payments', '2026-01-05T00:00:00.000Z'),
        ],
        {
          acme: [
            team('acme', 'payments', {
              createdAt: '2026-01-02T00:00:00.000Z',
            }),
          ],
          'acme-payments': [team('acme-payments', 'checkout')],
        },
      );
      await provider.connect(connection);

      await provider.refresh();

      expect(published().map(e => e.metadata.name)).toEqual([
        'acme',
        'acme-payments',
        'acme-payments-checkout',
      ]);
      expect(group('acme-payments')?.spec?.type).toBe('team');
      expect(group('acme-payments-checkout')?.spec).not.toHaveProperty(
        'parent',
      );
      expect(logger.warn).toHaveBeenCalledWith(
        "Not publishing the Paasport group 'acme-payments' of organization 'acme-payments': " +
          "team 'payments' of 'acme' has a group of that name, created earlier",
      );
    });
  });

  it('skips a team whose group name would be too long for the catalog', async () => {
    const { provider, connection, paas, logger, published } = setup();
    const longName = `team-${'x'.repeat(58)}`;
    paas.listOrganizations.mockResolvedValue([createdWithoutDescription]);
    paas.listTeams.mockResolvedValue([
      team('research', longName),
      team('research', 'lab'),
    ]);
    await provider.connect(connection);

    await provider.refresh();

    expect(published().map(e => e.metadata.name)).toEqual([
      'research',
      'research-lab',
    ]);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        `Not publishing team '${longName}' of 'research'`,
      ),
    );
  });

  it('names a generic location when the Paasport base URL is unknown', async () => {
    const { provider, connection, published } = setup({ baseUrl: undefined });
    await provider.connect(connection);

    await provider.refresh();

    for (const entity of published()) {
      expect(entity.metadata.annotations).toMatchObject({
        'backstage.io/managed-by-location': 'paas:paasport',
        'backstage.io/managed-by-origin-location': 'paas:paasport',
      });
    }
  });

  it('refuses to refresh before the catalog has connected it', async () => {
    const { provider } = setup();

    await expect(provider.refresh()).rejects.toThrow('not connected');
  });
});
