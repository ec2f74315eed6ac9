import { AuditorService } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  OrganizationQuotas,
  paasOrganizationReadPermission,
  paasQuotaManagePermission,
  paasQuotaUpdatePermission,
  QuotaChange,
  quotaDimensionSchema,
  QuotaLine,
  setQuotaRequestSchema,
} from '@paasport/plugin-paas-common';
import { Knex } from 'knex';
import { OrganizationStore } from '../database/OrganizationStore';
import { QuotaReservationRequest, QuotaStore } from '../database/QuotaStore';
import { TeamStore } from '../database/TeamStore';
import { audited } from './audit';
import { CallContext } from './CallContext';
import { principalRef } from './credentials';
import { OrganizationAccess } from './OrganizationAccess';

/** A new limit and why it was set. */
export interface QuotaLimitInput {
  limit: number;
  reason?: string;
}

/** Quotas of organizations and teams, with authorization and audit. */
export interface QuotaService {
  get(organization: string, ctx: CallContext): Promise<OrganizationQuotas>;
  history(
    organization: string,
    options: { limit?: number },
    ctx: CallContext,
  ): Promise<QuotaChange[]>;
  /** Sets an organization's own limit (platform team). */
  setOrganizationLimit(
    organization: string,
    dimension: string,
    input: QuotaLimitInput,
    ctx: CallContext,
  ): Promise<QuotaLine>;
  /** Carves a team's limit out of its organization's (organization admins). */
  setTeamLimit(
    organization: string,
    team: string,
    dimension: string,
    input: QuotaLimitInput,
    ctx: CallContext,
  ): Promise<QuotaLine>;
  /** Gives a team's carve-out back to the organization's shared pool. */
  removeTeamLimit(
    organization: string,
    team: string,
    dimension: string,
    input: { reason?: string },
    ctx: CallContext,
  ): Promise<void>;
  /**
   * For other services, which authorize their own callers: reserves quota for a subject in the
   * caller's transaction. See {@link QuotaStore.reserve}.
   */
  reserve(
    tx: Knex.Transaction | undefined,
    request: QuotaReservationRequest,
  ): Promise<void>;
  /** For other services: gives back what a subject holds. */
  release(tx: Knex.Transaction | undefined, subject: string): Promise<void>;
}

export function createQuotaService(options: {
  quotas: QuotaStore;
  organizations: OrganizationStore;
  teams: TeamStore;
  access: OrganizationAccess;
  auditor: AuditorService;
  /** Called after a limit changed, such as to let the scheduler admit what now fits. */
  onChange?: () => void;
}): QuotaService {
  const { quotas, organizations, teams, access, auditor } = options;
  const changed = () => options.onChange?.();

  async function currentLimit(
    organization: string,
    team: string | undefined,
    dimension: string,
  ): Promise<number | null> {
    const all = await quotas.get(organization);
    const lines = team ? all.teams[team] ?? [] : all.lines;
    return lines.find(l => l.dimension === dimension)?.limit ?? null;
  }

  // Audit metadata is fixed when the event starts, so the previous limit is read just before;
  // quota_changes records the exact one.
  async function auditMeta(
    organization: string,
    team: string | undefined,
    dimension: string,
    newLimit: number | null,
    reason: string | undefined,
  ) {
    return {
      organization,
      team: team ?? null,
      dimension,
      previousLimit: await currentLimit(organization, team, dimension),
      newLimit,
      reason: reason ?? null,
    };
  }

  return {
    async get(organization, ctx) {
      await access.require(
        organization,
        paasOrganizationReadPermission,
        ctx,
        '',
      );
      return quotas.get(organization);
    },

    async history(organization, { limit }, ctx) {
      await access.require(
        organization,
        paasOrganizationReadPermission,
        ctx,
        '',
      );
      return quotas.history(organization, { limit });
    },

    async setOrganizationLimit(organization, dimension, input, ctx) {
      const { limit, reason } = checkLimitInput(dimension, input);
      return audited(
        auditor,
        'quota-set',
        ctx,
        await auditMeta(organization, undefined, dimension, limit, reason),
        async () => {
          await access.requireBasic(
            paasQuotaManagePermission,
            ctx,
            "Only the platform team may set an organization's quotas",
          );
          if (!(await organizations.get(organization))) {
            throw new NotFoundError(`No organization named '${organization}'`);
          }
          const { line } = await quotas.setOrganizationLimit(
            organization,
            dimension,
            limit,
            principalRef(ctx.credentials),
            reason,
          );
          changed();
          return line;
        },
      );
    },

    async setTeamLimit(organization, team, dimension, input, ctx) {
      const { limit, reason } = checkLimitInput(dimension, input);
      return audited(
        auditor,
        'quota-set',
        ctx,
        await auditMeta(organization, team, dimension, limit, reason),
        async () => {
          await requireTeamQuotaAccess(organization, team, ctx);
          const { line } = await quotas.setTeamLimit(
            organization,
            team,
            dimension,
            limit,
            principalRef(ctx.credentials),
            reason,
          );
          changed();
          return line;
        },
      );
    },

    async removeTeamLimit(organization, team, dimension, input, ctx) {
      const reason = input.reason?.trim() || undefined;
      await audited(
        auditor,
        'quota-remove',
        ctx,
        await auditMeta(organization, team, dimension, null, reason),
        async () => {
          await requireTeamQuotaAccess(organization, team, ctx);
          await quotas.removeTeamLimit(
            organization,
            team,
            dimension,
            principalRef(ctx.credentials),
            reason,
          );
          changed();
        },
      );
    },

    reserve(tx, request) {
      return quotas.reserve(tx, request);
    },

    release(tx, subject) {
      return quotas.release(tx, subject);
    },
  };

  async function requireTeamQuotaAccess(
    organization: string,
    team: string,
    ctx: CallContext,
  ) {
    await access.require(
      organization,
      paasQuotaUpdatePermission,
      ctx,
      `Only admins of '${organization}' may set its teams' quotas`,
    );
    if (!(await teams.get(organization, team))) {
      throw new NotFoundError(`No team '${team}' in '${organization}'`);
    }
  }
}

/** The router validates too; this guards callers that are not HTTP, such as actions. */
function checkLimitInput(
  dimension: string,
  input: QuotaLimitInput,
): QuotaLimitInput {
  if (!quotaDimensionSchema.safeParse(dimension).success) {
    throw new InputError(`Unknown quota dimension '${dimension}'`);
  }
  const parsed = setQuotaRequestSchema.safeParse(input);
  if (!parsed.success) {
    throw new InputError(
      `Invalid quota: ${parsed.error.issues
        .map(i => `${i.path.join('.') || 'input'}: ${i.message}`)
        .join('; ')}`,
    );
  }
  return parsed.data;
}
