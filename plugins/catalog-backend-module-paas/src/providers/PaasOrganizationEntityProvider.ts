import {
  LoggerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  GroupEntity,
  KubernetesValidatorFunctions,
  parseEntityRef,
} from '@backstage/catalog-model';
import { ForwardedError, toError } from '@backstage/errors';
import {
  DeferredEntity,
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import {
  Membership,
  Organization,
  PAAS_ORGANIZATION_ANNOTATION,
  PAAS_TEAM_ANNOTATION,
  Team,
} from '@paasport/plugin-paas-common';
import { PaasService } from '@paasport/plugin-paas-node';
import { paasLocation } from './paasLocation';

/** How many organizations are read at once; each costs two requests to Paasport. */
const READ_CONCURRENCY = 4;

/** An organization with everything its groups are built from. */
interface OrganizationSnapshot {
  organization: Organization;
  teams: Team[];
  members: Membership[];
}

/**
 * Publishes Paasport organizations and teams as Group entities: one group per organization
 * that does not adopt an existing catalog group, named as the organization, and one group
 * per team that does not adopt one, named `<organization>-<team>` and placed under the
 * organization's group. Members come from Paasport membership.
 *
 * @public
 */
export class PaasOrganizationEntityProvider implements EntityProvider {
  private readonly paas: PaasService;
  private readonly logger: LoggerService;
  private readonly taskRunner: SchedulerServiceTaskRunner;
  private readonly location: string;
  private connection?: EntityProviderConnection;

  constructor(options: {
    paas: PaasService;
    logger: LoggerService;
    /** Runs the refresh on the provider's schedule. */
    taskRunner: SchedulerServiceTaskRunner;
    /** Base URL of the Paasport backend, recorded as the entities' location. */
    baseUrl?: string;
  }) {
    this.paas = options.paas;
    this.logger = options.logger;
    this.taskRunner = options.taskRunner;
    this.location = paasLocation(options.baseUrl);
  }

  getProviderName(): string {
    return 'paas-organizations';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    await this.taskRunner.run({
      id: `${this.getProviderName()}:refresh`,
      fn: () => this.refresh(),
    });
  }

  /**
   * Reads the organizations with their teams and members, and replaces every entity this
   * provider published before.
   */
  async refresh(): Promise<void> {
    if (!this.connection) {
      throw new Error(`${this.getProviderName()} is not connected yet`);
    }

    let snapshots: OrganizationSnapshot[];
    try {
      snapshots = await this.readPaasport();
    } catch (error) {
      // A full mutation of a part would delete the rest; keep the last good set.
      this.logger.warn(
        'Could not read Paasport organizations, teams and members; ' +
          'the catalog keeps the groups published before',
        toError(error),
      );
      return;
    }

    const groups = this.withoutCollisions(
      [
        ...snapshots
          .filter(({ organization }) => !organization.groupRef)
          .map(({ organization, members }) => ({
            entity: this.toOrganizationGroup(organization, members),
            source: `organization '${organization.name}'`,
            createdAt: organization.createdAt,
          })),
        ...snapshots.flatMap(snapshot => this.toTeamGroups(snapshot)),
      ],
      adoptedGroups(snapshots),
    );
    await this.connection.applyMutation({
      type: 'full',
      entities: groups.map(
        (entity): DeferredEntity => ({
          entity,
          locationKey: this.getProviderName(),
        }),
      ),
    });
    this.logger.debug(
      `Published ${groups.length} Paasport groups for ${snapshots.length} organizations`,
    );
  }

  private async readPaasport(): Promise<OrganizationSnapshot[]> {
    const organizations = await this.paas.listOrganizations();
    return mapWithConcurrency(
      organizations,
      READ_CONCURRENCY,
      async organization => {
        try {
          const [teams, members] = await Promise.all([
            this.paas.listTeams(organization.name),
            this.paas.listMembers(organization.name),
          ]);
          return { organization, teams, members };
        } catch (error) {
          throw new ForwardedError(
            `Could not read the teams and members of '${organization.name}'`,
            error,
          );
        }
      },
    );
  }

  /** The teams of one organization that adopt no group, as groups under the organization's. */
  private toTeamGroups(snapshot: OrganizationSnapshot): GroupCandidate[] {
    const { organization, teams, members } = snapshot;
    const parent =
      organization.groupRef ?? `group:default/${organization.name}`;
    return teams.flatMap(team => {
      if (team.groupRef) {
        return [];
      }
      const name = `${organization.name}-${team.name}`;
      if (!KubernetesValidatorFunctions.isValidObjectName(name)) {
        this.logger.warn(
          `Not publishing team '${team.name}' of '${organization.name}': ` +
            `its group name '${name}' is longer than the catalog allows (63 characters)`,
        );
        return [];
      }
      return [
        {
          entity: this.toTeamGroup(
            name,
            team,
            parent,
            members.filter(member => member.teams.includes(team.name)),
          ),
          source: `team '${team.name}' of '${organization.name}'`,
          createdAt: team.createdAt,
        },
      ];
    });
  }

  private toOrganizationGroup(
    organization: Organization,
    members: Membership[],
  ): GroupEntity {
    return {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: {
        name: organization.name,
        namespace: 'default',
        title: organization.title,
        ...(organization.description
          ? { description: organization.description }
          : {}),
        annotations: {
          [ANNOTATION_LOCATION]: this.location,
          [ANNOTATION_ORIGIN_LOCATION]: this.location,
          [PAAS_ORGANIZATION_ANNOTATION]: organization.name,
        },
      },
      spec: {
        type: 'organization',
        profile: { displayName: organization.title },
        children: [],
        members: members.map(member => toMemberRef(member.userRef)),
      },
    };
  }

  private toTeamGroup(
    name: string,
    team: Team,
    parent: string,
    members: Membership[],
  ): GroupEntity {
    return {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: {
        name,
        namespace: 'default',
        title: team.title,
        ...(team.description ? { description: team.description } : {}),
        annotations: {
          [ANNOTATION_LOCATION]: this.location,
          [ANNOTATION_ORIGIN_LOCATION]: this.location,
          [PAAS_ORGANIZATION_ANNOTATION]: team.organization,
          [PAAS_TEAM_ANNOTATION]: team.name,
        },
      },
      spec: {
        type: 'team',
        profile: { displayName: team.title },
        parent,
        children: [],
        members: members.map(member => toMemberRef(member.userRef)),
      },
    };
  }

  /**
   * `<org>-<team>` can equal the name of another organization (`acme` + `payments` and
   * `acme-payments`), of another team's group (`a` + `b-c` and `a-b` + `c`) or of a group
   * that an organization or team adopts; the catalog would keep an arbitrary one, and a
   * tenant could take over another's group. A name adopted is never published; otherwise
   * the group created earliest keeps it, whatever order Paasport lists them in. The teams
   * of an organization whose group is not published get no parent, rather than the group
   * of whoever holds the name.
   */
  private withoutCollisions(
    candidates: GroupCandidate[],
    adopted: Map<string, string>,
  ): GroupEntity[] {
    const holders = new Map<string, GroupCandidate>();
    for (const candidate of [...candidates].sort(byCreation)) {
      const key = nameKey(candidate.entity.metadata.name);
      if (!adopted.has(key) && !holders.has(key)) {
        holders.set(key, candidate);
      }
    }
    const unpublished = new Set<string>();
    const kept = candidates.filter(candidate => {
      const name = candidate.entity.metadata.name;
      const key = nameKey(name);
      const holder = holders.get(key);
      if (holder === candidate) {
        return true;
      }
      const reason = holder
        ? `${holder.source} has a group of that name, created earlier`
        : `${adopted.get(key)} adopts the catalog group of that name`;
      this.logger.warn(
        `Not publishing the Paasport group '${name}' of ${candidate.source}: ${reason}`,
      );
      if (candidate.entity.spec.type === 'organization') {
        unpublished.add(`group:default/${key}`);
      }
      return false;
    });
    return kept.map(({ entity }) => {
      const parent = entity.spec.parent;
      if (parent && unpublished.has(nameKey(parent))) {
        const spec = { ...entity.spec };
        delete spec.parent;
        return { ...entity, spec };
      }
      return entity;
    });
  }
}

/** A group this provider would publish, with what it stands for and since when. */
interface GroupCandidate {
  entity: GroupEntity;
  /** For warnings, such as `team 'checkout' of 'acme'`. */
  source: string;
  createdAt: string;
}

/** Entity names are compared case-insensitively by the catalog. */
function nameKey(name: string): string {
  return name.toLocaleLowerCase('en-US');
}

/** Oldest first; organizations before teams, then by name, when created at the same time. */
function byCreation(a: GroupCandidate, b: GroupCandidate): number {
  const order = (c: GroupCandidate) => [
    Date.parse(c.createdAt) || 0,
    c.entity.spec.type === 'organization' ? 0 : 1,
    c.source,
  ];
  const [x, y] = [order(a), order(b)];
  for (let i = 0; i < x.length; i++) {
    if (x[i] !== y[i]) {
      return x[i] < y[i] ? -1 : 1;
    }
  }
  return 0;
}

/** Names of the default-namespace groups organizations and teams adopt, with who adopts them. */
function adoptedGroups(snapshots: OrganizationSnapshot[]): Map<string, string> {
  const adopted = new Map<string, string>();
  const add = (groupRef: string | undefined, source: string) => {
    if (!groupRef) {
      return;
    }
    let ref;
    try {
      ref = parseEntityRef(groupRef, { defaultKind: 'group' });
    } catch {
      return;
    }
    if (
      nameKey(ref.kind) === 'group' &&
      nameKey(ref.namespace) === 'default' &&
      !adopted.has(nameKey(ref.name))
    ) {
      adopted.set(nameKey(ref.name), source);
    }
  };
  for (const { organization, teams } of snapshots) {
    add(organization.groupRef, `organization '${organization.name}'`);
    for (const team of teams) {
      add(team.groupRef, `team '${team.name}' of '${organization.name}'`);
    }
  }
  return adopted;
}

/**
 * A group's `spec.members` resolve against the User kind and the group's namespace, so users
 * of the default namespace go by their name and everyone else by their full ref.
 */
function toMemberRef(userRef: string): string {
  let parsed;
  try {
    parsed = parseEntityRef(userRef);
  } catch {
    return userRef;
  }
  return parsed.kind.toLocaleLowerCase('en-US') === 'user' &&
    parsed.namespace.toLocaleLowerCase('en-US') === 'default'
    ? parsed.name
    : userRef;
}

/** `Promise.all` over `items`, with at most `limit` of them in flight; stops at the first failure. */
async function mapWithConcurrency<T, R>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  async function worker() {
    while (next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index]);
      } catch (error) {
        next = items.length; // the result is lost anyway; start no more reads
        throw error;
      }
    }
  }
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, worker),
  );
  return results;
}
