import { InputError } from '@backstage/errors';
import { KubernetesManifest } from './types';

interface ValidatableModel {
  validate(): void;
  toJSON(): unknown;
}

/**
 * Checks a kubernetes-models object against the Kubernetes schema and returns it as plain
 * JSON; an `InputError` naming `what` when it fails.
 */
export function validated(
  model: ValidatableModel,
  what: string,
): KubernetesManifest {
  try {
    model.validate();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InputError(
      `The generated ${what} is not a valid Kubernetes object: ${reason}`,
    );
  }
  return model.toJSON() as KubernetesManifest;
}
