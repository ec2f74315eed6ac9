import { AuditorService } from '@backstage/backend-plugin-api';
import {
  Membership,
  OrganizationRole,
  paasMemberManagePermission,
  paasOrganizationReadPermission,
} from '@paasport/plugin-paas-common';
import { Page, PageRequest } from '../database/keysetPagination';
import { MembershipStore } from '../database/MembershipStore';
import { audited } from './audit';
import { CallContext } from './CallContext';
import { principalRef } from './credentials';
import { OrganizationAccess } from './OrganizationAccess';

/** Members of organizations and their roles. */
export interface MembershipService {
  /** One page of the organization's members, for its readers. */
  list(
    organization: string,
    ctx: CallContext,
    page: PageRequest,
  ): Promise<Page<Membership>>;
  /** The caller's own memberships, across organizations. */
  mine(ctx: CallContext): Promise<Membership[]>;
  setRole(
    organization: string,
    userRef: string,
    role: OrganizationRole,
    ctx: CallContext,
  ): Promise<Membership>;
  remove(
    organization: string,
    userRef: string,
    ctx: CallContext,
  ): Promise<void>;
}

export function createMembershipService(options: {
  memberships: MembershipStore;
  access: OrganizationAccess;
  auditor: AuditorService;
}): MembershipService {
  const { memberships, access, auditor } = options;
  const refusal = (organization: string) =>
    `Only admins of '${organization}' may manage its members`;

  return {
    async list(organization, ctx, page) {
      await access.require(
        organization,
        paasOrganizationReadPermission,
        ctx,
        '',
      );
      return memberships.listMembers(organization, page);
    },

    async mine(ctx) {
      return memberships.listForUser([principalRef(ctx.credentials)]);
    },

    setRole(organization, userRef, role, ctx) {
      return audited(
        auditor,
        'member-role-set',
        ctx,
        { organization, userRef, role },
        async () => {
          await access.require(
            organization,
            paasMemberManagePermission,
            ctx,
            refusal(organization),
          );
          const { membership } = await memberships.setRole({
            organization,
            userRef,
            role,
            by: principalRef(ctx.credentials),
          });
          return membership;
        },
      );
    },

    remove(organization, userRef, ctx) {
      return audited(
        auditor,
        'member-remove',
        ctx,
        { organization, userRef },
        async () => {
          await access.require(
            organization,
            paasMemberManagePermission,
            ctx,
            refusal(organization),
          );
          await memberships.remove(organization, userRef);
        },
      );
    },
  };
}
