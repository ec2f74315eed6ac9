import { z } from 'zod';
import {
  dynamodbTableSpecSchema,
  lambdaFunctionSpecSchema,
  rdsInstanceSpecSchema,
  s3BucketSpecSchema,
  s3PrefixSpecSchema,
  sqsQueueSpecSchema,
} from './aws';
import { kubernetesNamespaceSpecSchema } from './kubernetes';

/** The spec schema of each resource kind Paasport manages. @public */
export const resourceSpecSchemas = {
  'aws:s3-bucket': s3BucketSpecSchema,
  'aws:s3-prefix': s3PrefixSpecSchema,
  'aws:dynamodb-table': dynamodbTableSpecSchema,
  'aws:sqs-queue': sqsQueueSpecSchema,
  'aws:lambda-function': lambdaFunctionSpecSchema,
  'aws:rds-instance': rdsInstanceSpecSchema,
  'kubernetes:namespace': kubernetesNamespaceSpecSchema,
} as const;

/** A kind of managed resource, such as `aws:s3-bucket`. @public */
export type ResourceKind = keyof typeof resourceSpecSchemas;

/** The validated spec of a resource of kind K. @public */
export type ResourceSpec<K extends ResourceKind = ResourceKind> = z.output<
  (typeof resourceSpecSchemas)[K]
>;

/** Every resource kind, in a stable order. @public */
export const RESOURCE_KINDS = Object.keys(
  resourceSpecSchemas,
) as ResourceKind[];

/** True if `kind` is one of the resource kinds Paasport knows. @public */
export function isResourceKind(kind: string): kind is ResourceKind {
  return Object.prototype.hasOwnProperty.call(resourceSpecSchemas, kind);
}

/**
 * Validates a spec for a kind and fills in defaults.
 * Throws a `ZodError` whose issues name the offending fields.
 * @public
 */
export function parseResourceSpec<K extends ResourceKind>(
  kind: K,
  spec: unknown,
): ResourceSpec<K> {
  return resourceSpecSchemas[kind].parse(spec) as ResourceSpec<K>;
}
