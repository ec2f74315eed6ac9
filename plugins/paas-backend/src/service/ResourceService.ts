import { AuditorService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  createResourceRequestSchema,
  externalResourceName,
  isResourceKind,
  ManagedResource,
  paasOrganizationReadPermission,
  paasResourceCreatePermission,
  paasResourceDeletePermission,
  paasResourceReadPermission,
  ResourceEvent,
  ResourceKind,
  ResourceRates,
  resourceSpecSchemas,
  teamGroupName,
} from '@paasport/plugin-paas-common';
import { isDeepStrictEqual } from 'node:util';
import { randomUUID } from 'node:crypto';
import { DesiredResource } from '@paasport/plugin-paas-node';
import { Knex } from 'knex';
import { z } from 'zod';
import { ClusterStore } from '../database/ClusterStore';
import { Page, PageRequest } from '../database/keysetPagination';
import { QuotaStore } from '../database/QuotaStore';
import { resourceSubject, ResourceStore } from '../database/ResourceStore';
import { TeamStore } from '../database/TeamStore';
import { parseInput } from '../validation';
import { ApprovalService } from './ApprovalService';
import {
  ApprovalFacts,
  ApprovalRule,
  approvalReason,
  describeApprovalRule,
  matchApprovalRule,
} from './approvalRules';
import { audited } from './audit';
import { placeNamespace } from './namespacePlacement';
import { resourceTags } from '../reconciler/tags';
import { CallContext } from './CallContext';
import { principalRef } from './credentials';
import { ResourceAccess } from './MemberScopedAccess';
import { OrganizationAccess } from './OrganizationAccess';

/** Subject type of approvals that hold a resource back. */
export const RESOURCE_SUBJECT = 'resource';

/** How the caller identifies a request, so that sending it again returns the first result. */
export interface CreateResourceOptions {
  idempotencyKey?: string;
}

/** Managed resources: requests, reads, deletion and retries. */
export interface ResourceService {
  /**
   * Accepts a resource: validates it, checks permission, asks for an approval or reserves
   * quota, and wakes the reconciler. `created` is false when the idempotency key returned an
   * earlier identical request.
   */
  create(
    organization: string,
    input: unknown,
    ctx: CallContext,
    options?: CreateResourceOptions,
  ): Promise<{ resource: ManagedResource; created: boolean }>;
  list(
    organization: string,
    filter: { team?: string; kind?: string },
    ctx: CallContext,
    page: PageRequest,
  ): Promise<Page<ManagedResource>>;
  /** Across organizations, what the caller may read; for the catalog and inventories. */
  listAll(
    filter: { organization?: string; team?: string; kind?: string },
    ctx: CallContext,
    page: PageRequest,
  ): Promise<Page<ManagedResource>>;
  get(id: string, ctx: CallContext): Promise<ManagedResource>;
  /** One page of the resource's events, oldest first. */
  events(
    id: string,
    ctx: CallContext,
    page: PageRequest,
  ): Promise<Page<ResourceEvent>>;
  /** Deletes per the deletion policy; `protect` refuses. */
  remove(id: string, ctx: CallContext): Promise<ManagedResource>;
  /**
   * Tries a failed resource again, or sends it back to approval when a rule matches it that
   * it was not approved under. ConflictError for one whose approval was denied.
   */
  retry(id: string, ctx: CallContext): Promise<ManagedResource>;
  /** The kinds that can be requested here, with their monthly estimates. */
  kinds(): ResourceKindInfo[];
}

/** A kind a provider is installed for. */
export interface ResourceKindInfo {
  kind: ResourceKind;
  /** Estimated monthly cost of one, from `paas.costs.resources`. */
  monthlyCost: number;
}

/** What decides the quota a resource holds. */
type QuotaHolder = Pick<
  ManagedResource,
  'id' | 'organization' | 'team' | 'kind' | 'monthlyCost'
>;

/** What wakes the reconciler; a stand-in in tests. */
export interface ReconcileTrigger {
  trigger(): Promise<void>;
}

export function createResourceService(options: {
  resources: ResourceStore;
  teams: TeamStore;
  quotas: QuotaStore;
  clusters: ClusterStore;
  access: OrganizationAccess;
  resourceAccess: ResourceAccess;
  auditor: AuditorService;
  approvals: ApprovalService;
  reconciler: ReconcileTrigger;
  approvalRules: ApprovalRule[];
  rates: ResourceRates;
  /** Kinds a provider is installed for. */
  providerKinds: () => ResourceKind[];
  /** The installed provider's check of a request, before anything is recorded. */
  validateWithProvider?: (resource: DesiredResource) => void | Promise<void>;
  clock?: () => Date;
}): ResourceService {
  const {
    resources,
    teams,
    quotas,
    clusters,
    access,
    resourceAccess,
    auditor,
    approvals,
    reconciler,
    approvalRules,
    rates,
    providerKinds,
  } = options;
  const clock = options.clock ?? (() => new Date());

  /** What a resource holds while it exists: one of its kind, and its budget if one is set. */
  async function quotaAmounts(resource: QuotaHolder, tx: Knex.Transaction) {
    const amounts: Record<string, number> = { [`count/${resource.kind}`]: 1 };
    if (
      resource.monthlyCost > 0 &&
      (await quotas.isLimited(tx, resource.organization, 'budget-monthly'))
    ) {
      amounts['budget-monthly'] = resource.monthlyCost;
    }
    return amounts;
  }

  async function reserveFor(resource: QuotaHolder, tx: Knex.Transaction) {
    try {
      await quotas.reserve(tx, {
        organization: resource.organization,
        team: resource.team,
        subject: resourceSubject(resource.id),
        amounts: await quotaAmounts(resource, tx),
      });
    } catch (error) {
      if (error instanceof ConflictError) {
        throw new ConflictError(
          `The quota of team ${resource.team} in ${resource.organization} does not allow this ${resource.kind}: ${error.message}`,
        );
      }
      throw error;
    }
  }

  approvals.registerSubject(RESOURCE_SUBJECT, {
    async settle(approval, tx) {
      const { resourceId, kind, team, monthlyCost, quotaHeld } =
        approval.subject as {
          resourceId: string;
          kind: ResourceKind;
          team: string;
          monthlyCost: number;
          /** Set when a retry asked: the resource kept the quota it was accepted with. */
          quotaHeld?: boolean;
        };
      const approved = approval.state === 'approved';
      await resources.settleApproval(
        tx,
        resourceId,
        approval.id,
        approved,
        {
          type: approved ? 'approved' : 'denied',
          message: approved
            ? `Approved by ${approval.decision?.by}; provisioning`
            : `Denied by ${approval.decision?.by}${
                approval.decision?.reason ? `: ${approval.decision.reason}` : ''
              }`,
          actor: approval.decision?.by,
        },
        clock(),
        async () => {
          if (quotaHeld) {
            return;
          }
          await reserveFor(
            {
              id: resourceId,
              organization: approval.organization,
              team,
              kind,
              monthlyCost,
            },
            tx,
          );
        },
      );
    },
    afterDecision(approval) {
      if (approval.state === 'approved') {
        void reconciler.trigger();
      }
    },
    describe(approval) {
      const { kind, team, name } = approval.subject as {
        kind: string;
        team: string;
        name: string;
      };
      return `Your ${kind} ${team}/${name} in ${approval.organization}`;
    },
  });

  async function readable(id: string, ctx: CallContext) {
    const resource = await resources.get(id);
    if (!resource) {
      throw new NotFoundError(`No resource with id '${id}'`);
    }
    await resourceAccess.require(
      asMemberScoped(resource),
      paasResourceReadPermission,
      ctx,
      '',
    );
    return resource;
  }

  async function changeable(id: string, ctx: CallContext, verb: string) {
    const resource = await readable(id, ctx);
    await resourceAccess.require(
      asMemberScoped(resource),
      paasResourceDeletePermission,
      ctx,
      `Only admins of '${resource.organization}', and the developer who requested it, may ${verb} this resource`,
    );
    return resource;
  }

  async function listVisible(
    filter: { organization?: string; team?: string; kind?: string },
    ctx: CallContext,
    page: PageRequest,
  ): Promise<Page<ManagedResource>> {
    if (filter.kind !== undefined && !isResourceKind(filter.kind)) {
      throw new InputError(`kind: '${filter.kind}' is not a resource kind`);
    }
    const visibility = await resourceAccess.visibility(ctx);
    if (visibility.type === 'none') {
      return { items: [] };
    }
    return resources.listPage(
      {
        organization: filter.organization,
        team: filter.team,
        kind: filter.kind,
        ...(visibility.type === 'filter'
          ? { criteria: visibility.criteria }
          : {}),
      },
      page,
    );
  }

  /** Namespaces go to a cluster of their environment; other kinds have no placement. */
  async function placed(kind: ResourceKind, spec: Record<string, unknown>) {
    if (kind !== 'kubernetes:namespace') {
      return { spec, labels: {} };
    }
    return placeNamespace(spec, await clusters.list());
  }

  /** What approval rules look at for a resource, and the rule that holds it, if any. */
  function approvalRuleFor(
    organization: string,
    kind: ResourceKind,
    placement: Record<string, string>,
  ) {
    const facts: ApprovalFacts = {
      organization,
      placement,
      priorityClass: '',
      kind,
      gpus: 0,
      monthlyCost: rates[kind],
    };
    return {
      facts,
      rule: matchApprovalRule(approvalRules, 'resource.create', facts),
    };
  }

  /** Opens the approval a resource waits for, in the transaction that records the wait. */
  function openApproval(
    tx: Knex.Transaction,
    request: {
      approvalId: string;
      resource: Pick<
        ManagedResource,
        'id' | 'organization' | 'team' | 'kind' | 'name' | 'externalName'
      >;
      facts: ApprovalFacts;
      rule: ApprovalRule;
      by: string;
      reason: string | undefined;
      /** A retried resource keeps the quota it was accepted with. */
      quotaHeld?: boolean;
    },
  ) {
    const { resource, facts, rule } = request;
    return approvals.open(
      {
        id: request.approvalId,
        organization: resource.organization,
        subjectType: RESOURCE_SUBJECT,
        subject: {
          resourceId: resource.id,
          kind: resource.kind,
          team: resource.team,
          name: resource.name,
          externalName: resource.externalName,
          monthlyCost: facts.monthlyCost,
          rule: rule.name,
          ...(request.quotaHeld ? { quotaHeld: true } : {}),
        },
        requestedBy: request.by,
        reason: approvalReason(rule, facts, request.reason),
        requiredApprover: rule.approver,
      },
      tx,
    );
  }

  function parseRequest(input: unknown) {
    const request = parseInput(createResourceRequestSchema, input, 'resource');
    const spec = parseInput(
      resourceSpecSchemas[request.kind] as z.ZodType<Record<string, unknown>>,
      request.spec,
      'resource',
      'spec',
    );
    if (request.kind === 'kubernetes:namespace' && spec.team !== request.team) {
      throw new InputError(
        `Invalid resource: spec.team: must be the resource's team '${request.team}'`,
      );
    }
    return { ...request, spec };
  }

  return {
    async create(organization, input, ctx, { idempotencyKey } = {}) {
      const request = parseRequest(input);
      let placement: Record<string, string> = {};
      if (
        idempotencyKey !== undefined &&
        !/^[\x21-\x7e]{1,255}$/.test(idempotencyKey)
      ) {
        throw new InputError(
          'Idempotency-Key must be 1 to 255 printable ASCII characters without spaces',
        );
      }
      const id = randomUUID();
      const by = principalRef(ctx.credentials);
      const externalName = externalResourceName(
        request.kind,
        organization,
        request.team,
        request.name,
      );
      const monthlyCost = rates[request.kind];
      const result = await audited(
        auditor,
        'resource-create',
        ctx,
        {
          organization,
          resourceId: id,
          team: request.team,
          kind: request.kind,
          name: request.name,
          externalName,
          component: request.component ?? null,
          idempotencyKey: idempotencyKey ?? null,
        },
        async () => {
          await access.require(
            organization,
            paasResourceCreatePermission,
            ctx,
            `Only developers and admins of '${organization}' may request resources`,
          );
          if (!(await teams.get(organization, request.team))) {
            throw new InputError(
              `Invalid resource: team: '${organization}' has no team named '${request.team}'`,
            );
          }
          if (!providerKinds().includes(request.kind)) {
            throw new InputError(
              `Invalid resource: kind: no provider is installed for ${
                request.kind
              }; installed: ${providerKinds().join(', ') || 'none'}`,
            );
          }
          if (idempotencyKey) {
            const earlier = await resources.getByIdempotencyKey(
              organization,
              idempotencyKey,
            );
            if (earlier) {
              return { resource: sameRequest(earlier), created: false };
            }
          }
          ({ spec: request.spec, labels: placement } = await placed(
            request.kind,
            request.spec,
          ));

          await options.validateWithProvider?.({
            id,
            kind: request.kind,
            name: externalName,
            organization,
            owner: `group:default/${teamGroupName(organization, request.team)}`,
            spec: request.spec as DesiredResource['spec'],
            tags: resourceTags({ organization, ...request }),
          });

          const { facts, rule } = approvalRuleFor(
            organization,
            request.kind,
            placement,
          );
          const approvalId = rule ? randomUUID() : undefined;
          const now = clock();
          const created = await resources.create(
            {
              id,
              organization,
              team: request.team,
              kind: request.kind,
              name: request.name,
              externalName,
              component: request.component,
              spec: request.spec,
              phase: rule ? 'pending-approval' : 'provisioning',
              deletionPolicy: request.deletionPolicy,
              monthlyCost,
              approvalId,
              idempotencyKey,
              requestedBy: by,
              now,
            },
            rule
              ? {
                  type: 'approval-requested',
                  message: describeApprovalRule(rule, facts),
                  actor: by,
                }
              : {
                  type: 'requested',
                  message: `Requested; quota reserved, provisioning ${externalName}`,
                  actor: by,
                },
            async tx => {
              if (rule) {
                await openApproval(tx, {
                  approvalId: approvalId!,
                  resource: { id, organization, externalName, ...request },
                  facts,
                  rule,
                  by,
                  reason: request.reason,
                });
              } else {
                await reserveFor(
                  {
                    id,
                    organization,
                    team: request.team,
                    kind: request.kind,
                    monthlyCost,
                  },
                  tx,
                );
              }
            },
          );
          return created.created
            ? created
            : { resource: sameRequest(created.resource), created: false };
        },
      );
      if (result.created && result.resource.phase === 'provisioning') {
        void reconciler.trigger();
      }
      return result;

      /** The earlier spec as this request states it: a namespace's cluster may be chosen. */
      function askedFor(spec: Record<string, unknown>) {
        if (
          request.kind !== 'kubernetes:namespace' ||
          'cluster' in request.spec
        ) {
          return spec;
        }
        const { cluster: _chosen, ...rest } = spec;
        return rest;
      }

      /** An idempotency key may only return the request it was first used for. */
      function sameRequest(earlier: ManagedResource) {
        if (
          earlier.organization !== organization ||
          earlier.team !== request.team ||
          earlier.kind !== request.kind ||
          earlier.name !== request.name ||
          !isDeepStrictEqual(askedFor(earlier.spec), request.spec)
        ) {
          throw new ConflictError(
            `The idempotency key was used for a different request (${earlier.kind} ${earlier.team}/${earlier.name} in ${earlier.organization})`,
          );
        }
        return earlier;
      }
    },

    async list(organization, filter, ctx, page) {
      await access.require(
        organization,
        paasOrganizationReadPermission,
        ctx,
        '',
      );
      return listVisible({ ...filter, organization }, ctx, page);
    },

    async listAll(filter, ctx, page) {
      return listVisible(filter, ctx, page);
    },

    async get(id, ctx) {
      return readable(id, ctx);
    },

    async events(id, ctx, page) {
      await readable(id, ctx);
      return resources.eventsPage(id, page);
    },

    async remove(id, ctx) {
      const found = await resources.get(id);
      const removed = await audited(
        auditor,
        'resource-delete',
        ctx,
        {
          resourceId: id,
          organization: found?.organization ?? null,
          kind: found?.kind ?? null,
          name: found?.name ?? null,
        },
        async () => {
          const resource = await changeable(id, ctx, 'delete');
          if (resource.deletionPolicy === 'protect') {
            throw new ConflictError(
              `${resource.kind} ${resource.name} has the deletion policy 'protect'; change its policy before deleting it`,
            );
          }
          const by = principalRef(ctx.credentials);
          return resources.requestDeletion(
            id,
            {
              type: 'deletion-requested',
              message:
                resource.deletionPolicy === 'orphan'
                  ? `Deletion requested; ${resource.externalName} will be left in place (policy orphan)`
                  : `Deletion requested; ${resource.externalName} will be deleted`,
              actor: by,
            },
            clock(),
          );
        },
      );
      if (removed.phase === 'deleting') {
        void reconciler.trigger();
      }
      return removed;
    },

    kinds() {
      return providerKinds().map(kind => ({
        kind,
        monthlyCost: rates[kind],
      }));
    },

    async retry(id, ctx) {
      const found = await resources.get(id);
      const retried = await audited(
        auditor,
        'resource-retry',
        ctx,
        {
          resourceId: id,
          organization: found?.organization ?? null,
          name: found?.name ?? null,
        },
        async () => {
          const resource = await changeable(id, ctx, 'retry');
          const by = principalRef(ctx.credentials);
          const last = resource.approvalId
            ? await approvals.find(resource.approvalId)
            : undefined;
          if (resource.phase === 'failed' && last?.state === 'denied') {
            throw new ConflictError(
              `${resource.kind} ${resource.name} was denied by ${
                last.decision?.by
              }${
                last.decision?.reason ? `: ${last.decision.reason}` : ''
              }; delete it and request it again to ask anew`,
            );
          }
          // A retry runs the resource again: the rules judge it as they would a new request,
          // and only an approval under the rule that matches now lets it through.
          const { facts, rule } = approvalRuleFor(
            resource.organization,
            resource.kind,
            (await placed(resource.kind, resource.spec)).labels,
          );
          const approvedUnder =
            last?.state === 'approved'
              ? (last.subject as { rule?: string }).rule
              : undefined;
          if (!rule || approvedUnder === rule.name) {
            return resources.retry(
              id,
              {
                type: 'retry-requested',
                message: 'Retry requested',
                actor: by,
              },
              clock(),
            );
          }
          const approvalId = randomUUID();
          return resources.retry(
            id,
            {
              type: 'approval-requested',
              message: `Retry requested; ${describeApprovalRule(rule, facts)}`,
              actor: by,
            },
            clock(),
            {
              approvalId,
              open: async tx => {
                await openApproval(tx, {
                  approvalId,
                  resource,
                  facts,
                  rule,
                  by,
                  reason: 'Retry requested',
                  quotaHeld: true,
                });
              },
            },
          );
        },
      );
      if (retried.phase === 'provisioning') {
        void reconciler.trigger();
      }
      return retried;
    },
  };
}

function asMemberScoped(resource: ManagedResource) {
  return {
    id: resource.id,
    organization: resource.organization,
    createdBy: resource.requestedBy,
  };
}
