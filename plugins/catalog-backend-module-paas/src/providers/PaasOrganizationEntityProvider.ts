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
  teamGroupName,
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
          .map(({ organization, members }) =>
            groupCandidate(
              this.toOrganizationGroup(organization, members),
              `organization '${organization.name}'`,
              organization.createdAt,
            ),
          ),
        ...snapshots.flatMap(snapshot => this.toTeamGroups(snapshot)),
      ],
      adoptionsOf(snapshots),
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
      const name = teamGroupName(organization.name, team.name);
      if (!KubernetesValidatorFunctions.isValidObjectName(name)) {
        this.logger.warn(
          `Not publishing team '${team.name}' of '${organization.name}': ` +
            `its group name '${name}' is longer than the catalog allows (63 characters)`,
        );
        return [];
      }
      return [
        groupCandidate(
          this.toTeamGroup(
            name,
            team,
            parent,
            members.filter(member => member.teams.includes(team.name)),
          ),
          `team '${team.name}' of '${organization.name}'`,
          team.createdAt,
        ),
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
   * tenant could take over another's group. The oldest claim keeps the name, whatever
   * order Paasport lists them in: the group created earliest, or the adoption, when the
   * organization or team that adopts it is older. A later adoption cannot take a group
   * away from the tenant it was published for. The teams of an organization whose group
   * is not published get no parent, rather than the group of whoever holds the name.
   */
  private withoutCollisions(
    candidates: GroupCandidate[],
    adoptions: Adoption[],
  ): GroupEntity[] {
    const holders = new Map<string, NameClaim>();
    for (const claim of [...candidates, ...adoptions].sort(byCreation)) {
      if (!holders.has(claim.key)) {
        holders.set(claim.key, claim);
      }
    }
    for (const adoption of adoptions) {
      const holder = holders.get(adoption.key);
      if (holder !== adoption && holder && 'entity' in holder) {
        this.logger.warn(
          `The catalog group '${adoption.key}' that ${adoption.source} adopts is the ` +
            `Paasport group of ${holder.source}, created earlier; it stays published`,
        );
      }
    }
    const unpublished = new Set<string>();
    const kept = candidates.filter(candidate => {
      const holder = holders.get(candidate.key);
      if (holder === candidate) {
        return true;
      }
      const reason =
        holder && 'entity' in holder
          ? `${holder.source} has a group of that name, created earlier`
          : `${holder?.source} adopts the catalog group of that name`;
      this.logger.warn(
        `Not publishing the Paasport group '${candidate.entity.metadata.name}' of ${candidate.source}: ${reason}`,
      );
      if (candidate.entity.spec.type === 'organization') {
        unpublished.add(`group:default/${candidate.key}`);
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

/** A claim on a catalog group name: a group to publish, or a group adopted. */
interface NameClaim {
  /** The group name, as the catalog compares it. */
  key: string;
  /** For warnings, such as `team 'checkout' of 'acme'`. */
  source: string;
  /** When the organization or team that claims it was created. */
  createdAt: string;
}

/** A group this provider would publish. */
interface GroupCandidate extends NameClaim {
  entity: GroupEntity;
}

/** A default-namespace group an organization or team adopts. */
type Adoption = NameClaim;

/** Entity names are compared case-insensitively by the catalog. */
function nameKey(name: string): string {
  return name.toLocaleLowerCase('en-US');
}

function groupCandidate(
  entity: GroupEntity,
  source: string,
  createdAt: string,
): GroupCandidate {
  return { key: nameKey(entity.metadata.name), entity, source, createdAt };
}

/**
 * Oldest first; when created at the same time, adoptions before organizations before
 * teams, then by who claims it.
 */
function byCreation(a: NameClaim, b: NameClaim): number {
  const rank = (c: NameClaim) => {
    if (!('entity' in c)) {
      return 0;
    }
    return (c as GroupCandidate).entity.spec.type === 'organization' ? 1 : 2;
  };
  const order = (c: NameClaim) => [
    Date.parse(c.createdAt) || 0,
    rank(c),
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

/** The default-namespace groups organizations and teams adopt. */
function adoptionsOf(snapshots: OrganizationSnapshot[]): Adoption[] {
  const adoptions: Adoption[] = [];
  const add = (
    groupRef: string | undefined,
    source: string,
    createdAt: string,
  ) => {
    if (!groupRef) {
      return;
    }
    let ref;
    try {
      ref = parseEntityRef(groupRef, { defaultKind: 'group' });
    } catch {
      return;
    }
    if (nameKey(ref.kind) === 'group' && nameKey(ref.namespace) === 'default') {
      adoptions.push({ key: nameKey(ref.name), source, createdAt });
    }
  };
  for (const { organization, teams } of snapshots) {
    add(
      organization.groupRef,
      `organization '${organization.name}'`,
      organization.createdAt,
    );
    for (const team of teams) {
      add(
        team.groupRef,
        `team '${team.name}' of '${organization.name}'`,
        team.createdAt,
      );
    }
  }
  return adoptions;
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
