import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueueTagsCommand,
  SetQueueAttributesCommand,
  SQSClient,
  TagQueueCommand,
} from '@aws-sdk/client-sqs';
import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import {
  ResourceCondition,
  ResourceKind,
  ResourceSpec,
} from '@paasport/plugin-paas-common';
import {
  DesiredResource,
  ObservedResource,
  PaasResourceProvider,
} from '@paasport/plugin-paas-node';
import {
  AwsAccountClient,
  AwsClientFor,
  AccountScopedProvider,
} from '../accountClients';
import { callAws, forwardAwsError, isAwsError } from '../awsErrors';
import {
  assertOwnedBy,
  desiredTags,
  OWNED_BY_CREATION,
  OWNED_BY_TAG,
  PAASPORT_RESOURCE_ID_TAG,
  tagsToAdd,
} from '../ownership';
import { assertKind, parseSpecOf } from '../resourceInput';
import {
  attributesToSet,
  creationAttributes,
  MAX_RETENTION_SECONDS,
  queueAttributes,
  tlsOnlyQueuePolicy,
  queueConsoleUrl,
  QueueNames,
  queueNames,
  redrivePolicy,
  withoutEmpty,
} from './queueSettings';

/** Options of {@link SqsQueueProvider}. @public */
export interface SqsQueueProviderOptions {
  /**
   * The client, region and account of a resource's organization; clients are built with
   * bounded `standard` retries, see the package README.
   */
  clientFor: AwsClientFor<SQSClient>;
  logger?: LoggerService;
}

/** Options of the provider in one account: the organization's client, region and id. */
type InAccountOptions = Omit<SqsQueueProviderOptions, 'clientFor'> &
  AwsAccountClient<SQSClient>;

type SqsQueueSpec = ResourceSpec<'aws:sqs-queue'>;

interface QueueState {
  name: string;
  url: string;
  arn: string;
  created: boolean;
}

const KIND = 'aws:sqs-queue' as const;

const QUEUE_DOES_NOT_EXIST = [
  'QueueDoesNotExist',
  'AWS.SimpleQueueService.NonExistentQueue',
];
const QUEUE_NAME_EXISTS = ['QueueNameExists', 'QueueAlreadyExists'];
const QUEUE_DELETED_RECENTLY = [
  'QueueDeletedRecently',
  'AWS.SimpleQueueService.QueueDeletedRecently',
];

/** The provider's calls in one account, with that account's client, region and id. */
class SqsQueueProviderInAccount implements PaasResourceProvider {
  readonly id = 'aws-sqs';
  readonly kinds: readonly ResourceKind[] = [KIND];

  constructor(private readonly options: InAccountOptions) {}

  async observe(
    resource: DesiredResource,
  ): Promise<ObservedResource | undefined> {
    const { spec, names } = this.parse(resource);
    const queueUrl = await this.queueUrl(names.queue);
    if (!queueUrl) {
      return undefined;
    }
    await this.assertOwned(names.queue, queueUrl, resource.id);
    const actual = await this.attributes(names.queue, queueUrl, ['All']);

    let deadLetter: QueueState | undefined;
    const conditions: ResourceCondition[] = [OWNED_BY_TAG];
    if (spec.deadLetterQueue) {
      const dlqUrl = await this.queueUrl(names.deadLetterQueue);
      if (dlqUrl) {
        await this.assertOwned(names.deadLetterQueue, dlqUrl, resource.id);
        const { QueueArn } = await this.attributes(
          names.deadLetterQueue,
          dlqUrl,
          ['QueueArn'],
        );
        deadLetter = {
          name: names.deadLetterQueue,
          url: dlqUrl,
          arn: QueueArn ?? '',
          created: false,
        };
      } else {
        conditions.push({
          type: 'DeadLetterQueue',
          status: 'False',
          reason: 'DiffersFromSpec',
          message: `Dead-letter queue ${names.deadLetterQueue} does not exist; the next apply creates it`,
        });
      }
    }

    if (tlsOnlyQueuePolicy(actual.QueueArn ?? '', actual.Policy)) {
      conditions.push({
        type: 'SecureTransportOnly',
        status: 'False',
        reason: 'DiffersFromSpec',
        message:
          'The queue policy does not deny requests without TLS; the next apply adds the statement',
      });
    }
    const differing = Object.keys(
      attributesToSet(this.mainAttributes(spec, deadLetter), actual),
    );
    if (differing.length > 0) {
      conditions.push({
        type: 'Configured',
        status: 'False',
        reason: 'DiffersFromSpec',
        message: `Attributes ${differing.join(
          ', ',
        )} differ from the spec; the next apply sets them`,
      });
    }
    const queue = {
      name: names.queue,
      url: queueUrl,
      arn: actual.QueueArn ?? '',
      created: false,
    };
    return {
      state: conditions.some(c => c.status === 'False') ? 'pending' : 'ready',
      ...this.describe(queue, deadLetter),
      conditions,
    };
  }

  async apply(resource: DesiredResource): Promise<ObservedResource> {
    const { spec, names } = this.parse(resource);
    const tags = desiredTags(resource.id, resource.tags);

    // The dead-letter queue first: the main queue's redrive policy names its ARN.
    const deadLetter = spec.deadLetterQueue
      ? await this.ensureQueue(
          names.deadLetterQueue,
          spec,
          queueAttributes(spec, { retentionSeconds: MAX_RETENTION_SECONDS }),
          tags,
          resource.id,
        )
      : undefined;
    const queue = await this.ensureQueue(
      names.queue,
      spec,
      this.mainAttributes(spec, deadLetter),
      tags,
      resource.id,
    );

    const conditions: ResourceCondition[] = [
      queue.created ? OWNED_BY_CREATION : OWNED_BY_TAG,
      {
        type: 'Tagged',
        status: 'True',
        reason: 'Applied',
        message: `Tagged with the resource's tags and ${PAASPORT_RESOURCE_ID_TAG}`,
      },
      spec.kmsKeyId
        ? {
            type: 'Encrypted',
            status: 'True',
            reason: 'KmsKey',
            message: `Messages are encrypted with KMS key ${spec.kmsKeyId}`,
          }
        : {
            type: 'Encrypted',
            status: 'True',
            reason: 'SqsManaged',
            message: 'Messages are encrypted with SQS managed keys (SSE-SQS)',
          },
      {
        type: 'SecureTransportOnly',
        status: 'True',
        reason: 'Applied',
        message: 'The queue policy denies requests without TLS',
      },
    ];
    if (deadLetter && spec.deadLetterQueue) {
      conditions.push({
        type: 'DeadLetterQueue',
        status: 'True',
        reason: 'Applied',
        message: `Messages move to ${deadLetter.name} after ${spec.deadLetterQueue.maxReceiveCount} receives`,
      });
    }
    this.options.logger?.info(`Applied SQS queue ${names.queue}`, {
      queue: names.queue,
      resourceId: resource.id,
    });
    return {
      state: 'ready',
      ...this.describe(queue, deadLetter),
      conditions,
    };
  }

  async delete(resource: DesiredResource): Promise<void> {
    const { names } = this.parse(resource);
    const queueUrl = await this.queueUrl(names.queue);
    if (queueUrl) {
      await this.assertOwned(names.queue, queueUrl, resource.id);
    }
    // Looked for even when the spec has none now: an earlier spec may have had one.
    const dlqUrl = await this.queueUrl(names.deadLetterQueue);
    const deleteDeadLetter =
      dlqUrl !== undefined &&
      (await this.isOwned(names.deadLetterQueue, dlqUrl, resource.id));

    // The main queue first, so nothing redrives into a deleted dead-letter queue.
    if (queueUrl) {
      await this.deleteQueue(names.queue, queueUrl, resource.id);
    }
    if (deleteDeadLetter) {
      await this.deleteQueue(names.deadLetterQueue, dlqUrl, resource.id);
    }
  }

  private mainAttributes(
    spec: SqsQueueSpec,
    deadLetter: { arn: string } | undefined,
  ): Record<string, string> {
    return queueAttributes(spec, {
      retentionSeconds: spec.messageRetentionSeconds,
      redrivePolicy:
        deadLetter && spec.deadLetterQueue
          ? redrivePolicy(deadLetter.arn, spec.deadLetterQueue.maxReceiveCount)
          : undefined,
    });
  }

  /** Creates the queue, or brings the one this resource owns to the attributes and tags. */
  private async ensureQueue(
    name: string,
    spec: SqsQueueSpec,
    attributes: Record<string, string>,
    tags: Record<string, string>,
    resourceId: string,
  ): Promise<QueueState> {
    let url = await this.queueUrl(name);
    if (!url) {
      url = await this.create(name, spec, attributes, tags);
      if (url) {
        // GetQueueUrl found no queue, so CreateQueue made this one and gave it its tags.
        const { QueueArn } = await this.attributes(name, url, ['QueueArn']);
        const arn = QueueArn ?? '';
        await this.setAttributes(name, url, {
          Policy: tlsOnlyQueuePolicy(arn, undefined)!,
        });
        return { name, url, arn, created: true };
      }
      // QueueNameExists: created meanwhile, with other attributes; ours only if tagged so.
      url = await this.queueUrl(name);
      if (!url) {
        throw new ConflictError(
          `SQS queue ${name} exists but cannot be found; apply again`,
        );
      }
    }

    const current = await this.tags(name, url);
    assertOwnedBy(current, resourceId, target(name), this.options.logger);
    const actual = await this.attributes(name, url, ['All']);
    const policy = tlsOnlyQueuePolicy(actual.QueueArn ?? '', actual.Policy);
    await this.setAttributes(name, url, {
      ...attributesToSet(attributes, actual),
      ...(policy ? { Policy: policy } : {}),
    });
    const missing = tagsToAdd(tags, current);
    if (Object.keys(missing).length > 0) {
      await this.call('tag', name, () =>
        this.options.client.send(
          new TagQueueCommand({ QueueUrl: url, Tags: missing }),
        ),
      );
    }
    return { name, url, arn: actual.QueueArn ?? '', created: false };
  }

  private async setAttributes(
    name: string,
    url: string,
    changed: Record<string, string>,
  ): Promise<void> {
    if (Object.keys(changed).length === 0) {
      return;
    }
    await this.call(
      `set the attributes ${Object.keys(changed).join(', ')} of`,
      name,
      () =>
        this.options.client.send(
          new SetQueueAttributesCommand({ QueueUrl: url, Attributes: changed }),
        ),
    );
  }

  /** The new queue's URL, or undefined when a queue of the name has other attributes. */
  private async create(
    name: string,
    spec: SqsQueueSpec,
    attributes: Record<string, string>,
    tags: Record<string, string>,
  ): Promise<string | undefined> {
    try {
      const output = await this.options.client.send(
        new CreateQueueCommand({
          QueueName: name,
          Attributes: {
            ...creationAttributes(spec),
            ...withoutEmpty(attributes),
          },
          tags,
        }),
      );
      this.options.logger?.info(`Created SQS queue ${name}`, {
        queue: name,
        region: this.options.region,
      });
      return output.QueueUrl;
    } catch (error) {
      if (isAwsError(error, ...QUEUE_NAME_EXISTS)) {
        return undefined;
      }
      if (isAwsError(error, ...QUEUE_DELETED_RECENTLY)) {
        throw new ConflictError(
          `SQS queue ${name} was deleted less than 60 seconds ago, and SQS does not create a queue of the same name until then; apply again in a minute`,
        );
      }
      throw forwardAwsError(`Could not create SQS queue ${name}`, error);
    }
  }

  private async deleteQueue(
    name: string,
    url: string,
    resourceId: string,
  ): Promise<void> {
    try {
      await this.options.client.send(new DeleteQueueCommand({ QueueUrl: url }));
    } catch (error) {
      if (isAwsError(error, ...QUEUE_DOES_NOT_EXIST)) {
        return;
      }
      throw forwardAwsError(`Could not delete SQS queue ${name}`, error);
    }
    this.options.logger?.info(`Deleted SQS queue ${name}`, {
      queue: name,
      resourceId,
    });
  }

  private async queueUrl(name: string): Promise<string | undefined> {
    try {
      const output = await this.options.client.send(
        new GetQueueUrlCommand({ QueueName: name }),
      );
      return output.QueueUrl;
    } catch (error) {
      if (isAwsError(error, ...QUEUE_DOES_NOT_EXIST)) {
        return undefined;
      }
      throw forwardAwsError(`Could not look up SQS queue ${name}`, error);
    }
  }

  private async tags(
    name: string,
    url: string,
  ): Promise<Record<string, string>> {
    const output = await this.call('read the tags of', name, () =>
      this.options.client.send(new ListQueueTagsCommand({ QueueUrl: url })),
    );
    return output.Tags ?? {};
  }

  private async assertOwned(
    name: string,
    url: string,
    resourceId: string,
  ): Promise<void> {
    assertOwnedBy(
      await this.tags(name, url),
      resourceId,
      target(name),
      this.options.logger,
    );
  }

  private async isOwned(
    name: string,
    url: string,
    resourceId: string,
  ): Promise<boolean> {
    try {
      await this.assertOwned(name, url, resourceId);
      return true;
    } catch (error) {
      if (error instanceof ConflictError) {
        this.options.logger?.warn(
          `Not deleting SQS queue ${name}: it is not this resource's`,
          { queue: name, resourceId },
        );
        return false;
      }
      throw error;
    }
  }

  private async attributes(
    name: string,
    url: string,
    attributeNames: Array<'All' | 'QueueArn'>,
  ): Promise<Record<string, string>> {
    const output = await this.call('read the attributes of', name, () =>
      this.options.client.send(
        new GetQueueAttributesCommand({
          QueueUrl: url,
          AttributeNames: attributeNames,
        }),
      ),
    );
    return output.Attributes ?? {};
  }

  /** Runs an SQS call, a failure reading "Could not <action> SQS queue <name>". */
  private call<T>(
    action: string,
    name: string,
    run: () => Promise<T>,
  ): Promise<T> {
    return callAws(`${action} SQS queue ${name}`, run);
  }

  private parse(resource: DesiredResource): {
    spec: SqsQueueSpec;
    names: QueueNames;
  } {
    assertKind(this.id, KIND, resource);
    const spec = parseSpecOf(KIND, resource, target(resource.name));
    return { spec, names: queueNames(resource.name, spec) };
  }

  private describe(
    queue: QueueState,
    deadLetter: QueueState | undefined,
  ): Pick<ObservedResource, 'externalId' | 'outputs'> {
    const { region } = this.options;
    return {
      externalId: queue.arn,
      outputs: {
        queueName: queue.name,
        queueUrl: queue.url,
        arn: queue.arn,
        region,
        consoleUrl: queueConsoleUrl(queue.url, region),
        ...(deadLetter
          ? {
              deadLetterQueueName: deadLetter.name,
              deadLetterQueueUrl: deadLetter.url,
              deadLetterQueueArn: deadLetter.arn,
            }
          : {}),
      },
    };
  }
}

/**
 * Provides `aws:sqs-queue` resources: encrypted, TLS-only queues, optionally with a
 * dead-letter queue `<name>-dlq` that receives a message after `maxReceiveCount` receives.
 *
 * Ownership rule: an existing queue is managed only when its `paasport.io/resource-id`
 * tag is this resource's id. Tags go with CreateQueue, so Paasport never leaves an
 * untagged queue behind; any other queue of the name is a `ConflictError`.
 *
 * @public
 */
export class SqsQueueProvider extends AccountScopedProvider<
  SQSClient,
  SqsQueueProviderOptions
> {
  readonly id = 'aws-sqs';
  readonly kinds: readonly ResourceKind[] = [KIND];

  protected inAccount(options: InAccountOptions) {
    return new SqsQueueProviderInAccount(options);
  }
}

function target(name: string): string {
  return `SQS queue ${name}`;
}
