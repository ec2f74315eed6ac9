import {
  AuditorService,
  BackstageCredentials,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  CreateOrganizationRequest,
  Organization,
  paasOrganizationCreatePermission,
  paasOrganizationReadPermission,
} from '@paasport/plugin-paas-common';
import { Request } from 'express';
import { OrganizationStore } from '../database/OrganizationStore';
import { principalRef } from './credentials';

/** Who is asking, and the HTTP request it came in on when there is one (for audit). */
export interface CallContext {
  credentials: BackstageCredentials;
  request?: Request;
}

/** Organizations, with authorization and audit; serves the router, actions and jobs alike. */
export interface OrganizationService {
  list(ctx: CallContext): Promise<Organization[]>;
  get(name: string, ctx: CallContext): Promise<Organization>;
  create(
    input: CreateOrganizationRequest,
    ctx: CallContext,
  ): Promise<Organization>;
}

export function createOrganizationService(options: {
  store: OrganizationStore;
  permissions: PermissionsService;
  auditor: AuditorService;
  logger: LoggerService;
}): OrganizationService {
  const { store, permissions, auditor, logger } = options;

  async function canRead(ctx: CallContext): Promise<boolean> {
    const [decision] = await permissions.authorizeConditional(
      [{ permission: paasOrganizationReadPermission }],
      { credentials: ctx.credentials },
    );
    // Conditions on organizations are not translated yet: fail closed rather than leak.
    return decision.result === AuthorizeResult.ALLOW;
  }

  return {
    async list(ctx) {
      return (await canRead(ctx)) ? store.list() : [];
    },

    async get(name, ctx) {
      const organization = (await canRead(ctx))
        ? await store.get(name)
        : undefined;
      if (!organization) {
        throw new NotFoundError(`No organization named '${name}'`);
      }
      return organization;
    },

    async create(input, ctx) {
      const event = await auditor.createEvent({
        eventId: 'organization-create',
        severityLevel: 'medium',
        request: ctx.request,
        meta: { organization: input.name },
      });
      try {
        const [decision] = await permissions.authorize(
          [{ permission: paasOrganizationCreatePermission }],
          { credentials: ctx.credentials },
        );
        if (decision.result !== AuthorizeResult.ALLOW) {
          throw new NotAllowedError('You may not create organizations');
        }
        const organization = await store.create({
          name: input.name,
          title: input.title ?? input.name,
          description: input.description,
          groupRef: input.groupRef,
          createdBy: principalRef(ctx.credentials),
        });
        logger.info(`Created organization ${organization.name}`, {
          organization: organization.name,
          createdBy: organization.createdBy,
        });
        await event.success();
        return organization;
      } catch (error) {
        await event.fail({ error: error as Error });
        throw error;
      }
    },
  };
}
