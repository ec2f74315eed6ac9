import { LoggerService } from '@backstage/backend-plugin-api';
import { ResourceCondition } from '@paasport/plugin-paas-common';
import { forwardAwsError, isNotImplemented } from './awsErrors';

/** One idempotent setting that `apply` puts on a cloud resource. */
export interface SettingStep {
  /** Condition type recorded on the result, such as `Encrypted`. */
  type: string;
  /** What the step does, phrased to follow "could not": `enable default encryption`. */
  action: string;
  /** Message of the `True` condition. */
  appliedMessage: string;
  run(): Promise<unknown>;
  /**
   * Recognises errors that mean "not possible yet", such as a setting AWS refuses until a
   * new resource has settled. They give a `False` condition with reason `Waiting`, and the
   * provider reports the resource as pending so the next apply tries again.
   */
  isNotYet?(error: unknown): boolean;
  /**
   * Recognises answers that show the endpoint does not know the call at all, though it
   * answers with another operation's error; treated like `NotImplemented`.
   */
  isUnsupported?(error: unknown): boolean;
}

/** Reason of a condition that the next apply is expected to turn `True`. */
export const WAITING_REASON = 'Waiting';

/**
 * Runs a setting step and reports it as a condition: `True` when the call succeeded,
 * `Unknown` when the endpoint does not implement it (so the gap stays visible instead of
 * being hidden or faked), `False` with reason `Waiting` for the errors the step calls "not
 * yet". Any other failure is thrown, naming the step and the target.
 */
export async function applySetting(
  step: SettingStep,
  target: string,
  logger?: LoggerService,
): Promise<ResourceCondition> {
  try {
    await step.run();
    return {
      type: step.type,
      status: 'True',
      reason: 'Applied',
      message: step.appliedMessage,
    };
  } catch (error) {
    if (isNotImplemented(error) || step.isUnsupported?.(error)) {
      const message = `The endpoint does not implement the call to ${step.action}; ${target} may lack this setting`;
      logger?.warn(message, { target, condition: step.type });
      return {
        type: step.type,
        status: 'Unknown',
        reason: 'NotImplementedByEndpoint',
        message,
      };
    }
    if (step.isNotYet?.(error)) {
      const message = `${target} is not ready for the call to ${step.action} yet; the next apply tries again`;
      logger?.info(message, { target, condition: step.type });
      return {
        type: step.type,
        status: 'False',
        reason: WAITING_REASON,
        message,
      };
    }
    throw forwardAwsError(`Could not ${step.action} on ${target}`, error);
  }
}
