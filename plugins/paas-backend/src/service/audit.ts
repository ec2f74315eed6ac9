import { AuditorService } from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
import { CallContext } from './CallContext';

/**
 * Runs a mutation as one auditor event: `success` when it returns, `fail` with the error when
 * it throws. Keep secrets and codes out of `meta`.
 */
export async function audited<T>(
  auditor: AuditorService,
  eventId: string,
  ctx: CallContext,
  meta: JsonObject,
  fn: () => Promise<T>,
): Promise<T> {
  const event = await auditor.createEvent({
    eventId,
    severityLevel: 'medium',
    request: ctx.request,
    meta,
  });
  try {
    const result = await fn();
    await event.success();
    return result;
  } catch (error) {
    await event.fail({ error: error as Error });
    throw error;
  }
}
