import { ConflictError, InputError } from '@backstage/errors';
import { ResourceSpec } from '@paasport/plugin-paas-common';
import { consoleUrl } from '../awsConsole';

type SqsQueueSpec = ResourceSpec<'aws:sqs-queue'>;

/** SQS keeps a message at most this long; a dead-letter queue keeps it that long. */
export const MAX_RETENTION_SECONDS = 1209600;

const BASE_NAME = /^[A-Za-z0-9_-]+$/;
const MAX_QUEUE_NAME_LENGTH = 80;

export interface QueueNames {
  queue: string;
  deadLetterQueue: string;
}

/**
 * The queue's name and its dead-letter queue's, `<name>-dlq`. FIFO queue names must end in
 * `.fifo`, and so must the name of a FIFO queue's dead-letter queue (it has to be FIFO
 * too): the suffix is added when the resource name lacks it.
 */
export function queueNames(name: string, spec: SqsQueueSpec): QueueNames {
  if (!spec.fifo && name.endsWith('.fifo')) {
    throw new InputError(
      `SQS queue name ${name} ends in .fifo, which only FIFO queues may: set fifo to true or choose another name`,
    );
  }
  const suffix = spec.fifo ? '.fifo' : '';
  const base = spec.fifo ? name.replace(/\.fifo$/, '') : name;
  const names = {
    queue: `${base}${suffix}`,
    deadLetterQueue: `${base}-dlq${suffix}`,
  };
  if (
    !BASE_NAME.test(base) ||
    names.deadLetterQueue.length > MAX_QUEUE_NAME_LENGTH
  ) {
    throw new InputError(
      `'${name}' is not a valid SQS queue name: use letters, digits, dashes and underscores, short enough that ${names.deadLetterQueue} stays within ${MAX_QUEUE_NAME_LENGTH} characters`,
    );
  }
  return names;
}

/** The RedrivePolicy attribute that sends messages to the dead-letter queue. */
export function redrivePolicy(
  deadLetterTargetArn: string,
  maxReceiveCount: number,
): string {
  return JSON.stringify({ deadLetterTargetArn, maxReceiveCount });
}

/**
 * The attributes Paasport keeps on a queue: visibility, retention, encryption (SQS managed,
 * or the spec's KMS key) and the redrive policy, `''` removing one the spec no longer has.
 */
export function queueAttributes(
  spec: SqsQueueSpec,
  options: { retentionSeconds: number; redrivePolicy?: string },
): Record<string, string> {
  return {
    VisibilityTimeout: String(spec.visibilityTimeoutSeconds),
    MessageRetentionPeriod: String(options.retentionSeconds),
    ...(spec.kmsKeyId
      ? { KmsMasterKeyId: spec.kmsKeyId }
      : { SqsManagedSseEnabled: 'true' }),
    RedrivePolicy: options.redrivePolicy ?? '',
  };
}

/** Attributes a queue can only get when it is created. */
export function creationAttributes(spec: SqsQueueSpec): Record<string, string> {
  return spec.fifo ? { FifoQueue: 'true' } : {};
}

function sameValue(key: string, wanted: string, actual: string | undefined) {
  if (key === 'RedrivePolicy' && wanted && actual) {
    // SQS may answer the count as a string; compare the meaning, not the text.
    const a = JSON.parse(wanted);
    const b = JSON.parse(actual);
    return (
      a.deadLetterTargetArn === b.deadLetterTargetArn &&
      Number(a.maxReceiveCount) === Number(b.maxReceiveCount)
    );
  }
  return wanted === (actual ?? '');
}

/** The wanted attributes whose values the queue does not have. */
export function attributesToSet(
  wanted: Record<string, string>,
  actual: Record<string, string>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(wanted).filter(
      ([key, value]) => !sameValue(key, value, actual[key]),
    ),
  );
}

/** Attributes to send to CreateQueue: a new queue has no redrive policy to remove. */
export function withoutEmpty(
  attributes: Record<string, string>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(attributes).filter(([, value]) => value !== ''),
  );
}

export function queueConsoleUrl(queueUrl: string, region: string): string {
  return consoleUrl(
    region,
    'sqs/v3/home',
    `/queues/${encodeURIComponent(queueUrl)}`,
  );
}

/** Sid of the statement Paasport keeps in a queue's policy. */
export const TLS_ONLY_SID = 'PaasportDenyInsecureTransport';

function tlsOnlyStatement(queueArn: string) {
  return {
    Sid: TLS_ONLY_SID,
    Effect: 'Deny',
    Principal: '*',
    Action: 'sqs:*',
    Resource: queueArn,
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
}

/**
 * The queue policy with the statement that denies every request without TLS, merged into
 * the queue's current policy (its other statements and id are kept); undefined when the
 * current policy already holds that statement as it should be.
 */
export function tlsOnlyQueuePolicy(
  queueArn: string,
  currentPolicy: string | undefined,
): string | undefined {
  let current: { Statement?: unknown; [key: string]: unknown } = {};
  if (currentPolicy) {
    try {
      current = JSON.parse(currentPolicy);
    } catch {
      throw new ConflictError(
        `The queue policy of ${queueArn} is not valid JSON; Paasport will not replace it`,
      );
    }
  }
  const statements = statementList(current.Statement);
  const wanted = tlsOnlyStatement(queueArn);
  const ours = statements.filter(statement => statement.Sid === TLS_ONLY_SID);
  if (ours.length === 1 && canonical(ours[0]) === canonical(wanted)) {
    return undefined;
  }
  return JSON.stringify({
    Version: '2012-10-17',
    ...current,
    Statement: [
      ...statements.filter(statement => statement.Sid !== TLS_ONLY_SID),
      wanted,
    ],
  });
}

/** A policy's `Statement`, which may be one statement or a list of them. */
function statementList(statement: unknown): Array<{ Sid?: unknown }> {
  if (Array.isArray(statement)) {
    return statement;
  }
  return statement ? [statement as { Sid?: unknown }] : [];
}

/** JSON with sorted keys: SQS may give a policy back with its keys in another order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(canonical).join(',')}]`;
  }
  if (typeof value === 'object' && value !== null) {
    return `{${Object.keys(value)
      .sort()
      .map(
        key =>
          `${JSON.stringify(key)}:${canonical(
            (value as Record<string, unknown>)[key],
          )}`,
      )
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
