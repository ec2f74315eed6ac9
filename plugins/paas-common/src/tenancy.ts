import { z } from 'zod';
import { dnsLabelSchema, entityRefSchema } from './names';
import { ORGANIZATION_ROLES, OrganizationRole } from './types';

/** A team of an organization. @public */
export interface Team {
  organization: string;
  name: string;
  title: string;
  description?: string;
  /** The catalog group this team adopts, when it was not created in Paasport. */
  groupRef?: string;
  createdBy: string;
  createdAt: string;
}

/** A user's membership of an organization. @public */
export interface Membership {
  organization: string;
  userRef: string;
  role: OrganizationRole;
  /** Names of the organization's teams the user belongs to. */
  teams: string[];
  createdBy: string;
  createdAt: string;
}

/** An invite code as listed: the code itself is shown only once, when created. @public */
export interface InviteCode {
  id: string;
  organization: string;
  role: OrganizationRole;
  maxUses: number;
  uses: number;
  expiresAt: string;
  revokedAt?: string;
  createdBy: string;
  createdAt: string;
}

/** Answer of creating an invite code: the only time `code` is seen. @public */
export interface CreatedInviteCode extends InviteCode {
  code: string;
}

/** Role schema shared by every request that names one. @public */
export const organizationRoleSchema = z.enum(ORGANIZATION_ROLES);

/** Body of `POST /organizations/:org/teams`. @public */
export const createTeamRequestSchema = z
  .object({
    name: dnsLabelSchema,
    title: z.string().trim().min(1).max(255).optional(),
    description: z.string().max(4000).optional(),
    groupRef: entityRefSchema.optional(),
  })
  .strict();

/** Body of `PUT /organizations/:org/members/:userRef`. @public */
export const setMembershipRequestSchema = z
  .object({ role: organizationRoleSchema })
  .strict();

/** Body of `POST /organizations/:org/invites`. @public */
export const createInviteRequestSchema = z
  .object({
    role: organizationRoleSchema,
    /** ISO 8601 duration such as `P3D`; the configured default when left out. */
    expiresIn: z
      .string()
      .regex(
        /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/,
        {
          message: 'must be an ISO 8601 duration such as P3D or PT12H',
        },
      )
      .optional(),
    maxUses: z.number().int().min(1).max(10000).default(1),
  })
  .strict();

/** Body of `POST /invites/redeem`. @public */
export const redeemInviteRequestSchema = z
  .object({ code: z.string().min(1).max(200) })
  .strict();
