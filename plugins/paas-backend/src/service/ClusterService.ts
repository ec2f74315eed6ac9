import { AuditorService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
  Cluster,
  paasClusterManagePermission,
  RegisterClusterRequest,
  registerClusterRequestSchema,
  UpdateClusterRequest,
  updateClusterRequestSchema,
} from '@paasport/plugin-paas-common';
import { ClusterStore } from '../database/ClusterStore';
import { audited } from './audit';
import { parseInput } from '../validation';
import { CallContext } from './CallContext';
import { principalRef } from './credentials';
import { OrganizationAccess } from './OrganizationAccess';

const REFUSAL =
  'Only the platform team may register, change or remove clusters';

/** The cluster registry, with authorization and audit. */
export interface ClusterService {
  /** Every cluster; any signed-in caller may read them. */
  list(ctx: CallContext): Promise<Cluster[]>;
  /** Throws NotFoundError for an unknown name. */
  get(name: string, ctx: CallContext): Promise<Cluster>;
  /** Registers a cluster through the API (platform team). */
  register(input: RegisterClusterRequest, ctx: CallContext): Promise<Cluster>;
  /** Changes title, capacity, GPU type, labels or state (platform team). */
  update(
    name: string,
    input: UpdateClusterRequest,
    ctx: CallContext,
  ): Promise<Cluster>;
  /** Removes a cluster nothing is allocated on (platform team). */
  remove(name: string, ctx: CallContext): Promise<void>;
}

export function createClusterService(options: {
  clusters: ClusterStore;
  access: OrganizationAccess;
  auditor: AuditorService;
  /** Called after capacity or state changed, such as to let the scheduler place what now fits. */
  onChange?: () => void;
}): ClusterService {
  const { clusters, access, auditor } = options;
  const changed = <T>(result: T) => {
    options.onChange?.();
    return result;
  };

  return {
    async list() {
      return clusters.list();
    },

    async get(name) {
      const cluster = await clusters.get(name);
      if (!cluster) {
        throw new NotFoundError(`No cluster named '${name}'`);
      }
      return cluster;
    },

    async register(input, ctx) {
      const request = parseInput(
        registerClusterRequestSchema,
        input,
        'cluster',
      );
      return audited(
        auditor,
        'cluster-register',
        ctx,
        {
          cluster: request.name,
          capacity: { ...request.capacity },
          gpuType: request.gpuType ?? null,
          labels: request.labels,
          state: request.state,
        },
        async () => {
          await access.requireBasic(paasClusterManagePermission, ctx, REFUSAL);
          return changed(
            await clusters.register({
              name: request.name,
              title: request.title ?? request.name,
              capacity: request.capacity,
              gpuType: request.gpuType,
              labels: request.labels,
              state: request.state,
              source: 'api',
              createdBy: principalRef(ctx.credentials),
            }),
          );
        },
      );
    },

    async update(name, input, ctx) {
      const change = parseInput(updateClusterRequestSchema, input, 'change');
      return audited(
        auditor,
        'cluster-update',
        ctx,
        {
          cluster: name,
          ...(change.title !== undefined ? { title: change.title } : {}),
          ...(change.capacity ? { capacity: { ...change.capacity } } : {}),
          ...(change.gpuType !== undefined ? { gpuType: change.gpuType } : {}),
          ...(change.labels ? { labels: change.labels } : {}),
          ...(change.state ? { state: change.state } : {}),
        },
        async () => {
          await access.requireBasic(paasClusterManagePermission, ctx, REFUSAL);
          return changed(await clusters.update(name, change));
        },
      );
    },

    async remove(name, ctx) {
      await audited(
        auditor,
        'cluster-remove',
        ctx,
        { cluster: name },
        async () => {
          await access.requireBasic(paasClusterManagePermission, ctx, REFUSAL);
          await clusters.remove(name);
        },
      );
    },
  };
}
