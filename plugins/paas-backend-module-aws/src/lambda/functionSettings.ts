import {
  CreateFunctionCommandInput,
  FunctionCode,
  FunctionConfiguration,
  UpdateFunctionConfigurationCommandInput,
} from '@aws-sdk/client-lambda';
import { ResourceSpec } from '@paasport/plugin-paas-common';
import { createHash } from 'crypto';
import { consoleUrl } from '../awsConsole';

type LambdaFunctionSpec = ResourceSpec<'aws:lambda-function'>;

/**
 * Tag that records which S3 object the function's code came from, as a SHA-256 of bucket and
 * key (tag values are too short for the key itself). Lambda reports only a hash of the code,
 * not where it came from, so without this apply could not tell whether the spec's code
 * changed.
 */
export const CODE_SOURCE_TAG = 'paasport.io/code-source';

export function codeSourceDigest(spec: LambdaFunctionSpec): string {
  return createHash('sha256')
    .update(`s3://${spec.codeS3Bucket}/${spec.codeS3Key}`)
    .digest('hex');
}

export function createFunctionInput(
  functionName: string,
  spec: LambdaFunctionSpec,
  executionRoleArn: string,
  tags: Record<string, string>,
  code: FunctionCode = { S3Bucket: spec.codeS3Bucket, S3Key: spec.codeS3Key },
): CreateFunctionCommandInput {
  return {
    FunctionName: functionName,
    Runtime: spec.runtime,
    Handler: spec.handler,
    Role: executionRoleArn,
    Code: code,
    PackageType: 'Zip',
    MemorySize: spec.memoryMiB,
    Timeout: spec.timeoutSeconds,
    Publish: false,
    Tags: { ...tags, [CODE_SOURCE_TAG]: codeSourceDigest(spec) },
  };
}

/**
 * The configuration fields that differ from the spec (and from the configured role, when
 * one is configured), as UpdateFunctionConfiguration input without the function name.
 */
export function configurationChanges(
  current: FunctionConfiguration,
  spec: LambdaFunctionSpec,
  executionRoleArn: string | undefined,
): Omit<UpdateFunctionConfigurationCommandInput, 'FunctionName'> {
  const wanted = {
    Runtime: spec.runtime,
    Handler: spec.handler,
    MemorySize: spec.memoryMiB,
    Timeout: spec.timeoutSeconds,
    ...(executionRoleArn ? { Role: executionRoleArn } : {}),
  };
  return Object.fromEntries(
    Object.entries(wanted).filter(
      ([key, value]) => current[key as keyof FunctionConfiguration] !== value,
    ),
  );
}

export function functionConsoleUrl(
  functionName: string,
  region: string,
): string {
  return consoleUrl(
    region,
    'lambda/home',
    `/functions/${encodeURIComponent(functionName)}`,
  );
}
