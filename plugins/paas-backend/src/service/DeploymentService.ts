import { AuditorService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  Approval,
  CapacityRates,
  Deployment,
  DeploymentEvent,
  DeploymentState,
  deploymentTotals,
  monthlyCapacityCost,
  paasDeploymentCreatePermission,
  paasDeploymentDeletePermission,
  paasDeploymentReadPermission,
  PriorityClasses,
  paasOrganizationReadPermission,
  SubmitDeploymentRequest,
  submitDeploymentRequestSchema,
} from '@paasport/plugin-paas-common';
import { randomUUID } from 'node:crypto';
import { ClusterStore } from '../database/ClusterStore';
import {
  deploymentQuotaAmounts,
  DeploymentStore,
} from '../database/DeploymentStore';
import { Page, PageRequest } from '../database/keysetPagination';
import { QuotaStore } from '../database/QuotaStore';
import { TeamStore } from '../database/TeamStore';
import { SchedulerPolicy } from '../scheduler/config';
import { DeploymentScheduler } from '../scheduler/DeploymentScheduler';
import { clusterCanHold } from '../scheduler/planning';
import { QuotaHeadroom } from '../scheduler/QuotaHeadroom';
import { QueueView } from '../scheduler/QueueView';
import { ApprovalService } from './ApprovalService';
import {
  ApprovalFacts,
  ApprovalRule,
  approvalReason,
  describeApprovalRule,
  matchApprovalRule,
} from './approvalRules';
import {
  requiredPlacementLabels,
  requirePlacementLabels,
} from './deploymentPlacement';
import { audited } from './audit';
import { CallContext } from './CallContext';
import { parseInput } from '../validation';
import { principalRef } from './credentials';
import { DeploymentAccess } from './MemberScopedAccess';
import { OrganizationAccess } from './OrganizationAccess';

/** Subject type of approvals that hold a deployment back. */
export const DEPLOYMENT_SUBJECT = 'deployment';

/** Container deployments: submit, read, stop, start and delete, with authorization and audit. */
export interface DeploymentService {
  /**
   * Queues a deployment, or holds it for approval when policy says so. ConflictError when
   * the name is taken, or when no cluster or quota could ever hold it.
   */
  submit(
    organization: string,
    input: SubmitDeploymentRequest,
    ctx: CallContext,
  ): Promise<Deployment>;
  /** One page of the organization's deployments the caller may read. */
  list(
    organization: string,
    filter: { state?: DeploymentState },
    ctx: CallContext,
    page: PageRequest,
  ): Promise<Page<Deployment>>;
  /** With its queue position and estimated wait while queued. */
  get(id: string, ctx: CallContext): Promise<Deployment>;
  /** One page of the deployment's events, oldest first. */
  events(
    id: string,
    ctx: CallContext,
    page: PageRequest,
  ): Promise<Page<DeploymentEvent>>;
  stop(id: string, ctx: CallContext): Promise<Deployment>;
  /**
   * Queues a stopped or failed deployment again, or, when an approval rule matches it, holds
   * it in `pending-approval` under a new approval.
   */
  start(id: string, ctx: CallContext): Promise<Deployment>;
  remove(id: string, ctx: CallContext): Promise<void>;
  /** The configured priority classes, highest first, and the default one. */
  priorityClasses(): PriorityClasses;
}

export function createDeploymentService(options: {
  deployments: DeploymentStore;
  teams: TeamStore;
  clusters: ClusterStore;
  quotas: QuotaStore;
  access: OrganizationAccess;
  deploymentAccess: DeploymentAccess;
  auditor: AuditorService;
  approvals: ApprovalService;
  scheduler: DeploymentScheduler;
  policy: SchedulerPolicy;
  approvalRules: ApprovalRule[];
  rates: CapacityRates;
  clock?: () => Date;
}): DeploymentService {
  const {
    deployments,
    teams,
    clusters,
    quotas,
    access,
    deploymentAccess,
    auditor,
    approvals,
    scheduler,
    policy,
    approvalRules,
    rates,
  } = options;
  const clock = options.clock ?? (() => new Date());
  const queue = new QueueView(deployments, policy, clock);

  const requiredLabels = requiredPlacementLabels(approvalRules);

  approvals.registerSubject(DEPLOYMENT_SUBJECT, {
    async settle(approval, tx) {
      const { deploymentId } = approval.subject as { deploymentId: string };
      const approved = approval.state === 'approved';
      await deployments.settleApproval(
        tx,
        deploymentId,
        approval.id,
        approved ? 'queued' : 'failed',
        {
          type: approved ? 'approved' : 'denied',
          message: approved
            ? `Approved by ${approval.decision?.by}; queued`
            : `Denied by ${approval.decision?.by}${
                approval.decision?.reason ? `: ${approval.decision.reason}` : ''
              }`,
          actor: approval.decision?.by,
        },
        clock(),
      );
    },
    afterDecision(approval: Approval) {
      if (approval.state === 'approved') {
        void scheduler.trigger();
      }
    },
    describe(approval) {
      const { name, team } = approval.subject as { name: string; team: string };
      return `Your deployment ${team}/${name} in ${approval.organization}`;
    },
  });

  async function readable(id: string, ctx: CallContext) {
    const deployment = await deployments.get(id);
    if (!deployment) {
      throw new NotFoundError(`No deployment with id '${id}'`);
    }
    await deploymentAccess.require(
      deployment,
      paasDeploymentReadPermission,
      ctx,
      '',
    );
    return deployment;
  }

  async function changeable(id: string, ctx: CallContext, verb: string) {
    const deployment = await readable(id, ctx);
    await deploymentAccess.require(
      deployment,
      paasDeploymentDeletePermission,
      ctx,
      `Only admins of '${deployment.organization}', and the developer who submitted it, may ${verb} this deployment`,
    );
    return deployment;
  }

  /**
   * Stops or starts one deployment as one audit event, for developers and admins of its
   * organization, then wakes the scheduler: what it released may let others run.
   */
  async function change(
    id: string,
    ctx: CallContext,
    verb: 'stop' | 'start',
    apply: (
      by: string,
      at: Date,
      deployment: Deployment,
    ) => Promise<Deployment>,
  ): Promise<Deployment> {
    const found = await deployments.get(id);
    const changed = await audited(
      auditor,
      `deployment-${verb}`,
      ctx,
      { deploymentId: id, organization: found?.organization ?? null },
      async () => {
        const deployment = await changeable(id, ctx, verb);
        return apply(principalRef(ctx.credentials), clock(), deployment);
      },
    );
    void scheduler.trigger();
    return changed;
  }

  /** What approval rules look at, for a new request or one that is to run again. */
  function factsOf(
    organization: string,
    d: Pick<Deployment, 'placement' | 'priorityClass' | 'replicas'> & {
      resources: SubmitDeploymentRequest['resources'];
    },
  ): ApprovalFacts {
    const totals = deploymentTotals(d);
    return {
      organization,
      placement: d.placement,
      priorityClass: d.priorityClass,
      gpus: totals.gpus,
      monthlyCost: monthlyCapacityCost(totals, rates),
    };
  }

  /** What approvers see of the deployment they decide. */
  function approvalSubject(
    deploymentId: string,
    d: Pick<
      Deployment,
      'team' | 'name' | 'image' | 'replicas' | 'priorityClass' | 'placement'
    > & { resources: SubmitDeploymentRequest['resources'] },
    facts: ApprovalFacts,
    rule: ApprovalRule,
  ) {
    return {
      deploymentId,
      team: d.team,
      name: d.name,
      image: d.image,
      replicas: d.replicas,
      resources: { ...d.resources },
      priorityClass: d.priorityClass,
      placement: d.placement,
      monthlyCost: facts.monthlyCost,
      rule: rule.name,
    };
  }

  /** Refuses what could never run: no matching cluster, or more than the quota in total. */
  async function requireFeasible(
    organization: string,
    request: SubmitDeploymentRequest,
  ) {
    const candidate = {
      id: '',
      organization,
      team: request.team,
      replicas: request.replicas,
      resources: request.resources,
      gpuType: request.gpuType,
      priority: 0,
      placement: request.placement,
      queuedAt: 0,
    };
    const all = await clusters.list();
    if (!all.some(cluster => clusterCanHold(cluster, candidate))) {
      const totals = deploymentTotals(request);
      throw new ConflictError(
        `No cluster could ever hold this deployment: none has the placement labels ` +
          `${JSON.stringify(request.placement)}${
            request.gpuType ? `, GPU type ${request.gpuType}` : ''
          } and room for ${totals.cpuMillicores}m CPU, ${
            totals.memoryMib
          } MiB and ${totals.gpus} GPUs in total`,
      );
    }
    const shortfall = new QuotaHeadroom(
      await quotas.get(organization),
    ).shortfall(request.team, deploymentQuotaAmounts(candidate), {
      ever: true,
    });
    if (shortfall) {
      throw new ConflictError(
        `The quota of team ${request.team} in ${organization} could never admit this deployment: ${shortfall}`,
      );
    }
  }

  return {
    async submit(organization, input, ctx) {
      const request = parseInput(
        submitDeploymentRequestSchema,
        input,
        'deployment',
      );
      const priorityClass =
        request.priorityClass ?? policy.defaultPriorityClass;
      const id = randomUUID();
      const by = principalRef(ctx.credentials);
      const created = await audited(
        auditor,
        'deployment-submit',
        ctx,
        {
          organization,
          deploymentId: id,
          team: request.team,
          name: request.name,
          image: request.image,
          replicas: request.replicas,
          resources: { ...request.resources },
          gpuType: request.gpuType ?? null,
          priorityClass,
          placement: request.placement,
        },
        async () => {
          await access.require(
            organization,
            paasDeploymentCreatePermission,
            ctx,
            `Only developers and admins of '${organization}' may deploy`,
          );
          if (!(await teams.get(organization, request.team))) {
            throw new InputError(
              `team: '${organization}' has no team named '${request.team}'`,
            );
          }
          const priority = policy.priorityClasses[priorityClass];
          if (priority === undefined) {
            throw new InputError(
              `priorityClass: '${priorityClass}' is not one of ${Object.keys(
                policy.priorityClasses,
              ).join(', ')}`,
            );
          }
          requirePlacementLabels(request.placement, requiredLabels);
          await requireFeasible(organization, request);

          const facts = factsOf(organization, { ...request, priorityClass });
          const rule = matchApprovalRule(
            approvalRules,
            'deployment.create',
            facts,
          );
          const approvalId = rule ? randomUUID() : undefined;
          const now = clock();
          return deployments.create(
            {
              id,
              organization,
              team: request.team,
              name: request.name,
              image: request.image,
              replicas: request.replicas,
              resources: request.resources,
              gpuType: request.gpuType,
              priorityClass,
              priority,
              placement: request.placement,
              writableRootFilesystem: request.writableRootFilesystem,
              state: rule ? 'pending-approval' : 'queued',
              approvalId,
              createdBy: by,
              now,
            },
            rule
              ? {
                  type: 'approval-requested',
                  message: describeApprovalRule(rule, facts),
                  actor: by,
                }
              : {
                  type: 'submitted',
                  message: 'Submitted and queued',
                  actor: by,
                },
            rule &&
              (tx =>
                approvals
                  .open(
                    {
                      id: approvalId!,
                      organization,
                      subjectType: DEPLOYMENT_SUBJECT,
                      subject: approvalSubject(
                        id,
                        { ...request, priorityClass },
                        facts,
                        rule,
                      ),
                      requestedBy: by,
                      reason: approvalReason(rule, facts, request.reason),
                      requiredApprover: rule.approver,
                    },
                    tx,
                  )
                  .then(() => undefined)),
          );
        },
      );
      if (created.state === 'queued') {
        void scheduler.trigger();
      }
      // No queue position here: working it out reads the whole queue, and the cycle just
      // triggered may admit the deployment at once. Reads of the deployment carry it.
      return created;
    },

    async list(organization, { state }, ctx, page) {
      await access.require(
        organization,
        paasOrganizationReadPermission,
        ctx,
        '',
      );
      const visibility = await deploymentAccess.visibility(ctx);
      if (visibility.type === 'none') {
        return { items: [] };
      }
      const found = await deployments.listPage(
        {
          organization,
          state,
          ...(visibility.type === 'filter'
            ? { criteria: visibility.criteria }
            : {}),
        },
        page,
      );
      return { ...found, items: await queue.annotateAll(found.items) };
    },

    async get(id, ctx) {
      return queue.annotate(await readable(id, ctx));
    },

    async events(id, ctx, page) {
      await readable(id, ctx);
      return deployments.eventsPage(id, page);
    },

    async stop(id, ctx) {
      return change(id, ctx, 'stop', (by, at) =>
        deployments.stop(
          id,
          {
            type: 'stopped',
            message: 'Stopped; its quota and capacity are released',
            actor: by,
          },
          at,
        ),
      );
    },

    async start(id, ctx) {
      const started = await change(id, ctx, 'start', (by, at, deployment) => {
        // Running again is a new request: the rules decide it as they decided the first.
        const facts = factsOf(deployment.organization, deployment);
        const rule = matchApprovalRule(
          approvalRules,
          'deployment.create',
          facts,
        );
        if (!rule) {
          return deployments.restart(
            id,
            { type: 'restarted', message: 'Queued again', actor: by },
            at,
          );
        }
        const approvalId = randomUUID();
        return deployments.restart(
          id,
          {
            type: 'approval-requested',
            message: `Asked to start again; ${describeApprovalRule(
              rule,
              facts,
            )}`,
            actor: by,
          },
          at,
          {
            approvalId,
            open: tx =>
              approvals
                .open(
                  {
                    id: approvalId,
                    organization: deployment.organization,
                    subjectType: DEPLOYMENT_SUBJECT,
                    subject: approvalSubject(id, deployment, facts, rule),
                    requestedBy: by,
                    reason: approvalReason(rule, facts, 'Asked to start again'),
                    requiredApprover: rule.approver,
                  },
                  tx,
                )
                .then(() => undefined),
          },
        );
      });
      return queue.annotate(started);
    },

    priorityClasses() {
      return {
        default: policy.defaultPriorityClass,
        items: Object.entries(policy.priorityClasses)
          .map(([name, priority]) => ({ name, priority }))
          .sort(
            (a, b) => b.priority - a.priority || a.name.localeCompare(b.name),
          ),
      };
    },

    async remove(id, ctx) {
      const found = await deployments.get(id);
      await audited(
        auditor,
        'deployment-delete',
        ctx,
        {
          deploymentId: id,
          organization: found?.organization ?? null,
          name: found?.name ?? null,
        },
        async () => {
          await changeable(id, ctx, 'delete');
          await deployments.remove(id);
        },
      );
      void scheduler.trigger();
    },
  };
}
