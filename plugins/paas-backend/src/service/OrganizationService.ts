import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import {
  CreateOrganizationRequest,
  Organization,
  paasOrganizationCreatePermission,
  paasOrganizationReadPermission,
} from '@paasport/plugin-paas-common';
import { Page, PageRequest } from '../database/keysetPagination';
import { OrganizationStore } from '../database/OrganizationStore';
import { assertAdoptableGroup } from './adoptableGroup';
import { audited } from './audit';
import { CallContext } from './CallContext';
import { principalRef } from './credentials';
import { OrganizationAccess } from './OrganizationAccess';

export type { CallContext } from './CallContext';

/** Organizations, with authorization and audit; serves the router, actions and jobs alike. */
export interface OrganizationService {
  /** One page of the organizations the caller may read. */
  list(ctx: CallContext, page: PageRequest): Promise<Page<Organization>>;
  get(name: string, ctx: CallContext): Promise<Organization>;
  create(
    input: CreateOrganizationRequest,
    ctx: CallContext,
  ): Promise<Organization>;
}

export function createOrganizationService(options: {
  store: OrganizationStore;
  access: OrganizationAccess;
  auditor: AuditorService;
  logger: LoggerService;
}): OrganizationService {
  const { store, access, auditor, logger } = options;

  return {
    async list(ctx, page) {
      const visibility = await access.visibility(ctx);
      switch (visibility.type) {
        case 'all':
          return store.list(undefined, page);
        case 'none':
          return { items: [] };
        default:
          return store.list(visibility.criteria, page);
      }
    },

    async get(name, ctx) {
      await access.require(name, paasOrganizationReadPermission, ctx, '');
      return (await store.get(name))!;
    },

    async create(input, ctx) {
      return audited(
        auditor,
        'organization-create',
        ctx,
        { organization: input.name },
        async () => {
          await access.requireBasic(
            paasOrganizationCreatePermission,
            ctx,
            'You may not create organizations',
          );
          if (await store.isGroupNameTaken(input.name)) {
            throw new ConflictError(
              `name: the catalog group name '${input.name}' is already taken; choose another organization name`,
            );
          }
          await assertAdoptableGroup(input.groupRef, name =>
            store.isPaasportGroupName(name),
          );
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
          return organization;
        },
      );
    },
  };
}
