import { AuditorService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
  Cluster,
  paasClusterManagePermission,
  paasClusterReadPermission,
  RegisterClusterRequest,
  registerClusterRequestSchema,
  UpdateClusterRequest,
  updateClusterRequestSchema,
} from '@paasport/plugin-paas-common';
import { ClusterAllocationStore } from '../database/ClusterAllocationStore';
import { ClusterStore } from '../database/ClusterStore';
import { audited } from './audit';
import { parseInput } from '../validation';
import { CallContext } from './CallContext';
import { principalRef } from './credentials';
import { OrganizationAccess } from './OrganizationAccess';

const REFUSAL =
  'Only the platform team may register, change or remove clusters';
const READ_REFUSAL = 'You may not see the clusters';

/** The cluster registry, with authorization and audit. */
export interface ClusterService {
  /**
   * Every cluster (`paas.cluster.read`), with the allocations of the organizations the
   * caller may read.
   */
  list(ctx: CallContext): Promise<Cluster[]>;
  /** As in the list; throws NotFoundError for an unknown name. */
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
  allocations: ClusterAllocationStore;
  access: OrganizationAccess;
  auditor: AuditorService;
  /** Called after capacity or state changed, such as to let the scheduler place what now fits. */
  onChange?: () => void;
}): ClusterService {
  const { clusters, allocations, access, auditor } = options;
  const changed = <T>(result: T) => {
    options.onChange?.();
    return result;
  };

  /** The clusters with the allocations of the organizations the caller may read. */
  async function withAllocations(
    found: Cluster[],
    ctx: CallContext,
  ): Promise<Cluster[]> {
    const visibility = await access.visibility(ctx);
    const entries =
      visibility.type === 'none'
        ? []
        : await allocations.list({
            clusters: found.map(c => c.name),
            criteria:
              visibility.type === 'filter' ? visibility.criteria : undefined,
          });
    return found.map(cluster => ({
      ...cluster,
      allocations: entries
        .filter(entry => entry.cluster === cluster.name)
        .map(({ cluster: _cluster, ...allocation }) => allocation),
    }));
  }

  return {
    async list(ctx) {
      await access.requireBasic(paasClusterReadPermission, ctx, READ_REFUSAL);
      return withAllocations(await clusters.list(), ctx);
    },

    async get(name, ctx) {
      await access.requireBasic(paasClusterReadPermission, ctx, READ_REFUSAL);
      const cluster = await clusters.get(name);
      if (!cluster) {
        throw new NotFoundError(`No cluster named '${name}'`);
      }
      const [shown] = await withAllocations([cluster], ctx);
      return shown;
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
