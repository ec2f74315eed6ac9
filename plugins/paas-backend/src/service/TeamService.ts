import { AuditorService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  paasMemberManagePermission,
  paasOrganizationReadPermission,
  paasOrganizationUpdatePermission,
  Team,
  teamGroupName,
} from '@paasport/plugin-paas-common';
import { z } from 'zod';
import { createTeamRequestSchema } from '@paasport/plugin-paas-common';
import { Page, PageRequest } from '../database/keysetPagination';
import { MembershipStore } from '../database/MembershipStore';
import { TeamStore } from '../database/TeamStore';
import { assertAdoptableGroup } from './adoptableGroup';
import { audited } from './audit';
import { CallContext } from './CallContext';
import { principalRef } from './credentials';
import { OrganizationAccess } from './OrganizationAccess';

/** Teams that adopt no group are published to the catalog as `<organization>-<team>`. */
const MAX_GROUP_NAME = 63;

/** Teams of an organization and who is in them. */
export interface TeamService {
  /** One page of the organization's teams, for its readers. */
  list(
    organization: string,
    ctx: CallContext,
    page: PageRequest,
  ): Promise<Page<Team>>;
  create(
    organization: string,
    input: z.output<typeof createTeamRequestSchema>,
    ctx: CallContext,
  ): Promise<Team>;
  addMember(
    organization: string,
    team: string,
    userRef: string,
    ctx: CallContext,
  ): Promise<void>;
  removeMember(
    organization: string,
    team: string,
    userRef: string,
    ctx: CallContext,
  ): Promise<void>;
}

export function createTeamService(options: {
  teams: TeamStore;
  memberships: MembershipStore;
  access: OrganizationAccess;
  auditor: AuditorService;
}): TeamService {
  const { teams, memberships, access, auditor } = options;

  async function requireTeam(organization: string, team: string) {
    if (!(await teams.get(organization, team))) {
      throw new NotFoundError(`No team '${team}' in '${organization}'`);
    }
  }

  return {
    async list(organization, ctx, page) {
      await access.require(
        organization,
        paasOrganizationReadPermission,
        ctx,
        '',
      );
      return teams.list(organization, page);
    },

    create(organization, input, ctx) {
      return audited(
        auditor,
        'team-create',
        ctx,
        { organization, team: input.name },
        async () => {
          await access.require(
            organization,
            paasOrganizationUpdatePermission,
            ctx,
            `Only admins of '${organization}' may create teams`,
          );
          const groupName = teamGroupName(organization, input.name);
          if (!input.groupRef && groupName.length > MAX_GROUP_NAME) {
            throw new InputError(
              `name: the team's catalog group would be named '${groupName}', ${groupName.length} characters; ` +
                `the catalog allows ${MAX_GROUP_NAME}, so choose a team name of at most ${
                  MAX_GROUP_NAME - organization.length - 1
                } characters or adopt an existing group`,
            );
          }
          // The name is also the team's Kubernetes group and its resources' owner, so it
          // must be unique even when the team adopts a group. Say no more than the name:
          // whose it is belongs to another tenant.
          if (await teams.isGroupNameTaken(organization, input.name)) {
            throw new ConflictError(
              `name: the catalog group name '${groupName}' is already taken; choose another team name`,
            );
          }
          await assertAdoptableGroup(input.groupRef, name =>
            teams.isPaasportGroupName(name),
          );
          return teams.create({
            organization,
            name: input.name,
            title: input.title ?? input.name,
            description: input.description,
            groupRef: input.groupRef,
            createdBy: principalRef(ctx.credentials),
          });
        },
      );
    },

    addMember(organization, team, userRef, ctx) {
      return audited(
        auditor,
        'team-member-add',
        ctx,
        { organization, team, userRef },
        async () => {
          await access.require(
            organization,
            paasMemberManagePermission,
            ctx,
            `Only admins of '${organization}' may change teams`,
          );
          await requireTeam(organization, team);
          await memberships.addToTeam(organization, team, userRef);
        },
      );
    },

    removeMember(organization, team, userRef, ctx) {
      return audited(
        auditor,
        'team-member-remove',
        ctx,
        { organization, team, userRef },
        async () => {
          await access.require(
            organization,
            paasMemberManagePermission,
            ctx,
            `Only admins of '${organization}' may change teams`,
          );
          await requireTeam(organization, team);
          await memberships.removeFromTeam(organization, team, userRef);
        },
      );
    },
  };
}
