import {
  AuditorService,
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { readDurationFromConfig } from '@backstage/config';
import { ConflictError, InputError } from '@backstage/errors';
import { HumanDuration } from '@backstage/types';
import {
  createInviteRequestSchema,
  CreatedInviteCode,
  InviteCode,
  OrganizationRole,
  paasMemberManagePermission,
} from '@paasport/plugin-paas-common';
import { DateTime, Duration } from 'luxon';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { InviteRedemption, InviteStore } from '../database/InviteStore';
import { Page, PageRequest } from '../database/keysetPagination';
import { audited } from './audit';
import { CallContext } from './CallContext';
import { principalRef } from './credentials';
import { generateInviteCode, hashInviteCode } from './inviteCodes';
import { OrganizationAccess } from './OrganizationAccess';

/** The one answer to every code that cannot be redeemed, whatever the reason. */
export const INVALID_INVITE_CODE_MESSAGE =
  'This invite code is not valid: it may be mistyped, expired, revoked or used up. ' +
  'Ask an organization admin for a new one.';

/** The longest an invite code may stay valid. */
export const MAX_INVITE_EXPIRY: HumanDuration = { days: 90 };

const DEFAULT_INVITE_EXPIRY: HumanDuration = { days: 7 };

/** Invite codes: admins create, list and revoke them; any signed-in user redeems one. */
export interface InviteService {
  /** The answer is the only place the code is ever seen. */
  create(
    organization: string,
    input: z.output<typeof createInviteRequestSchema>,
    ctx: CallContext,
  ): Promise<CreatedInviteCode>;
  /** One page of the organization's codes, newest first, for its admins. */
  list(
    organization: string,
    ctx: CallContext,
    page: PageRequest,
  ): Promise<Page<InviteCode>>;
  revoke(organization: string, id: string, ctx: CallContext): Promise<void>;
  /**
   * Makes the caller a member in the code's role. Throws InputError with one message for any
   * code that cannot be used, and ConflictError when the caller already is a member.
   */
  redeem(
    code: string,
    ctx: CallContext,
  ): Promise<{ organization: string; role: OrganizationRole }>;
}

export function createInviteService(options: {
  store: InviteStore;
  access: OrganizationAccess;
  auditor: AuditorService;
  logger: LoggerService;
  config: RootConfigService;
  /** For tests. */
  clock?: () => Date;
}): InviteService {
  const { store, access, auditor, logger } = options;
  const clock = options.clock ?? (() => new Date());
  const defaultExpiry = readDefaultExpiry(options.config);
  const refusal = (organization: string) =>
    `Only admins of '${organization}' may manage its invite codes`;

  function expiryFrom(now: Date, expiresIn: string | undefined): Date {
    const start = DateTime.fromJSDate(now);
    const duration = expiresIn
      ? Duration.fromISO(expiresIn)
      : Duration.fromObject(defaultExpiry);
    const expiresAt = start.plus(duration);
    if (!duration.isValid || !expiresAt.isValid || expiresAt <= start) {
      throw new InputError(
        'Invalid request body: expiresIn: must be a positive ISO 8601 duration such as P3D',
      );
    }
    if (expiresAt > start.plus(MAX_INVITE_EXPIRY)) {
      throw new InputError(
        `Invalid request body: expiresIn: must be at most ${Duration.fromObject(
          MAX_INVITE_EXPIRY,
        ).toISO()}`,
      );
    }
    return expiresAt.toJSDate();
  }

  return {
    async create(organization, input, ctx) {
      const id = randomUUID();
      const expiresAt = expiryFrom(clock(), input.expiresIn);
      return audited(
        auditor,
        'invite-create',
        ctx,
        {
          organization,
          inviteId: id,
          role: input.role,
          maxUses: input.maxUses,
          expiresAt: expiresAt.toISOString(),
        },
        async () => {
          await access.require(
            organization,
            paasMemberManagePermission,
            ctx,
            refusal(organization),
          );
          const code = generateInviteCode();
          const invite = await store.create({
            id,
            organization,
            role: input.role,
            codeHash: hashInviteCode(code),
            maxUses: input.maxUses,
            expiresAt,
            createdBy: principalRef(ctx.credentials),
          });
          logger.info(`Created invite code ${id} for ${organization}`, {
            organization,
            inviteId: id,
            role: invite.role,
            maxUses: invite.maxUses,
            expiresAt: invite.expiresAt,
          });
          return { ...invite, code };
        },
      );
    },

    async list(organization, ctx, page) {
      await access.require(
        organization,
        paasMemberManagePermission,
        ctx,
        refusal(organization),
      );
      return store.list(organization, page);
    },

    revoke(organization, id, ctx) {
      return audited(
        auditor,
        'invite-revoke',
        ctx,
        { organization, inviteId: id },
        async () => {
          await access.require(
            organization,
            paasMemberManagePermission,
            ctx,
            refusal(organization),
          );
          await store.revoke(organization, id, clock());
        },
      );
    },

    // Not through `audited`: the organization is only known once the code has been looked up.
    async redeem(code, ctx) {
      const event = await auditor.createEvent({
        eventId: 'invite-redeem',
        severityLevel: 'medium',
        request: ctx.request,
      });
      const userRef = principalRef(ctx.credentials);
      let result: InviteRedemption;
      try {
        result = await store.redeem({
          codeHash: hashInviteCode(code),
          userRef,
          now: clock(),
        });
      } catch (error) {
        await event.fail({ error: error as Error });
        throw error;
      }

      if (result.status === 'invalid') {
        const error = new InputError(INVALID_INVITE_CODE_MESSAGE);
        await event.fail({ error });
        throw error;
      }
      const { organization, inviteId } = result;
      if (result.status === 'already-member') {
        const error = new ConflictError(
          `You are already a member of '${organization}'`,
        );
        await event.fail({ error, meta: { organization } });
        throw error;
      }
      const { role } = result;
      await event.success({ meta: { organization, role, inviteId } });
      logger.info(
        `${userRef} joined ${organization} as ${role} with invite code ${inviteId}`,
        { organization, userRef, role, inviteId },
      );
      return { organization, role };
    },
  };
}

function readDefaultExpiry(config: RootConfigService): HumanDuration {
  const key = 'paas.invites.defaultExpiry';
  const expiry = config.has(key)
    ? readDurationFromConfig(config, { key })
    : DEFAULT_INVITE_EXPIRY;
  const now = DateTime.now();
  const expiresAt = now.plus(Duration.fromObject(expiry));
  if (
    !expiresAt.isValid ||
    expiresAt <= now ||
    expiresAt > now.plus(MAX_INVITE_EXPIRY)
  ) {
    throw new Error(
      `Invalid config at '${key}': must be positive and at most ${Duration.fromObject(
        MAX_INVITE_EXPIRY,
      ).toISO()}`,
    );
  }
  return expiry;
}
