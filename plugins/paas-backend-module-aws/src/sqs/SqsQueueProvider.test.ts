import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueueTagsCommand,
  QueueDeletedRecently,
  QueueDoesNotExist,
  QueueNameExists,
  SetQueueAttributesCommand,
  SQSClient,
  TagQueueCommand,
} from '@aws-sdk/client-sqs';
import { ConflictError, InputError } from '@backstage/errors';
import { DesiredResource } from '@paasport/plugin-paas-node';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { SqsQueueProvider } from './SqsQueueProvider';
import { singleAccount } from '../accountClients';

const ACCOUNT_URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012';
const ARN_PREFIX = 'arn:aws:sqs:eu-west-1:123456789012';
const OWN_TAGS = {
  'paasport.io/organization': 'checkout',
  'paasport.io/resource-id': 'res-0001',
};

/** A resource whose spec is given as a user writes it; the provider fills in defaults. */
function resource(
  overrides: Partial<Omit<DesiredResource, 'spec'>> & { spec?: object } = {},
): DesiredResource {
  return {
    id: 'res-0001',
    kind: 'aws:sqs-queue',
    name: 'checkout-events',
    organization: 'checkout',
    owner: 'group:default/checkout',
    spec: {},
    tags: { 'paasport.io/organization': 'checkout' },
    ...overrides,
  } as DesiredResource;
}

const doesNotExist = () =>
  new QueueDoesNotExist({
    $metadata: { httpStatusCode: 400 },
    message: 'The specified queue does not exist.',
  });

const MUTATING_COMMANDS = [
  CreateQueueCommand,
  DeleteQueueCommand,
  SetQueueAttributesCommand,
  TagQueueCommand,
];

/** The statement of the TLS-only queue policy of the queue `name`. */
function tlsOnlyStatement(name: string) {
  return {
    Sid: 'PaasportDenyInsecureTransport',
    Effect: 'Deny',
    Principal: '*',
    Action: 'sqs:*',
    Resource: `${ARN_PREFIX}:${name}`,
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
}

/** The attributes SQS reports for a queue Paasport made from the default spec. */
function defaultAttributes(name: string) {
  return {
    QueueArn: `${ARN_PREFIX}:${name}`,
    VisibilityTimeout: '30',
    MessageRetentionPeriod: '345600',
    SqsManagedSseEnabled: 'true',
    DelaySeconds: '0',
    Policy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [tlsOnlyStatement(name)],
    }),
  };
}

/** The Policy attributes sent to SetQueueAttributes, parsed, by queue URL. */
function sentPolicies(calls: Array<{ args: [{ input: any }] }>) {
  return calls
    .map(call => call.args[0].input)
    .filter(input => input.Attributes?.Policy !== undefined)
    .map(input => ({
      QueueUrl: input.QueueUrl,
      Policy: JSON.parse(input.Attributes.Policy),
    }));
}

describe('SqsQueueProvider', () => {
  const client = new SQSClient({ region: 'eu-west-1' });
  const sqs = mockClient(client);

  function provider() {
    return new SqsQueueProvider({
      clientFor: singleAccount({ client, region: 'eu-west-1' }),
    });
  }

  /** No queue of any name exists; CreateQueue makes them. */
  function givenNoQueues() {
    sqs.on(GetQueueUrlCommand).rejects(doesNotExist());
    sqs
      .on(CreateQueueCommand)
      .callsFake(input => ({ QueueUrl: `${ACCOUNT_URL}/${input.QueueName}` }));
    sqs.on(GetQueueAttributesCommand).callsFake(input => ({
      Attributes: {
        QueueArn: `${ARN_PREFIX}:${input.QueueUrl.split('/').pop()}`,
      },
    }));
    for (const command of [
      DeleteQueueCommand,
      SetQueueAttributesCommand,
      TagQueueCommand,
    ]) {
      sqs.on(command as typeof TagQueueCommand).resolves({});
    }
  }

  /** Queues that exist, each with its tags and attributes. */
  function givenQueues(
    queues: Record<
      string,
      { tags: Record<string, string>; attributes?: Record<string, string> }
    >,
  ) {
    givenNoQueues();
    sqs.on(GetQueueUrlCommand).callsFake(input => {
      if (!queues[input.QueueName]) {
        throw doesNotExist();
      }
      return { QueueUrl: `${ACCOUNT_URL}/${input.QueueName}` };
    });
    const queueOf = (url: string) => queues[url.split('/').pop()!];
    sqs
      .on(ListQueueTagsCommand)
      .callsFake(input => ({ Tags: queueOf(input.QueueUrl).tags }));
    sqs.on(GetQueueAttributesCommand).callsFake(input => ({
      Attributes:
        queueOf(input.QueueUrl).attributes ??
        defaultAttributes(input.QueueUrl.split('/').pop()),
    }));
  }

  const sentCommands = () =>
    sqs.calls().map(call => (call.args[0] as object).constructor.name);

  function expectNoMutation() {
    for (const command of MUTATING_COMMANDS) {
      expect(sqs).not.toHaveReceivedCommand(command as typeof TagQueueCommand);
    }
  }

  beforeEach(() => sqs.reset());

  describe('apply', () => {
    it('creates an encrypted, tagged queue', async () => {
      givenNoQueues();

      const result = await provider().apply(resource());

      expect(sentCommands()).toEqual([
        'GetQueueUrlCommand',
        'CreateQueueCommand',
        'GetQueueAttributesCommand',
        'SetQueueAttributesCommand',
      ]);
      // The queue policy names the queue's ARN, which CreateQueue does not know yet.
      expect(
        sqs.commandCalls(SetQueueAttributesCommand)[0].args[0].input,
      ).toEqual({
        QueueUrl: `${ACCOUNT_URL}/checkout-events`,
        Attributes: {
          Policy: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'PaasportDenyInsecureTransport',
                Effect: 'Deny',
                Principal: '*',
                Action: 'sqs:*',
                Resource: `${ARN_PREFIX}:checkout-events`,
                Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              },
            ],
          }),
        },
      });
      expect(sqs).toHaveReceivedCommandWith(GetQueueUrlCommand, {
        QueueName: 'checkout-events',
      });
      expect(sqs.commandCalls(CreateQueueCommand)[0].args[0].input).toEqual({
        QueueName: 'checkout-events',
        Attributes: {
          VisibilityTimeout: '30',
          MessageRetentionPeriod: '345600',
          SqsManagedSseEnabled: 'true',
        },
        tags: OWN_TAGS,
      });
      expect(
        sqs.commandCalls(GetQueueAttributesCommand)[0].args[0].input,
      ).toEqual({
        QueueUrl: `${ACCOUNT_URL}/checkout-events`,
        AttributeNames: ['QueueArn'],
      });
      expect(result).toEqual({
        state: 'ready',
        externalId: `${ARN_PREFIX}:checkout-events`,
        outputs: {
          queueName: 'checkout-events',
          queueUrl: `${ACCOUNT_URL}/checkout-events`,
          arn: `${ARN_PREFIX}:checkout-events`,
          region: 'eu-west-1',
          consoleUrl: `https://eu-west-1.console.aws.amazon.com/sqs/v3/home?region=eu-west-1#/queues/${encodeURIComponent(
            `${ACCOUNT_URL}/checkout-events`,
          )}`,
        },
        conditions: [
          expect.objectContaining({
            type: 'Owned',
            status: 'True',
            reason: 'CreatedByThisApply',
          }),
          expect.objectContaining({ type: 'Tagged', status: 'True' }),
          {
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
        ],
      });
    });

    it('gives the dead-letter queue its own TLS-only policy too', async () => {
      givenNoQueues();

      await provider().apply(
        resource({ spec: { deadLetterQueue: { maxReceiveCount: 5 } } }),
      );

      expect(sentPolicies(sqs.commandCalls(SetQueueAttributesCommand))).toEqual(
        [
          {
            QueueUrl: `${ACCOUNT_URL}/checkout-events-dlq`,
            Policy: {
              Version: '2012-10-17',
              Statement: [tlsOnlyStatement('checkout-events-dlq')],
            },
          },
          {
            QueueUrl: `${ACCOUNT_URL}/checkout-events`,
            Policy: {
              Version: '2012-10-17',
              Statement: [tlsOnlyStatement('checkout-events')],
            },
          },
        ],
      );
    });

    it("adds the TLS-only statement to the queue's own policy, keeping its statements", async () => {
      const snsStatement = {
        Sid: 'AllowOrdersTopic',
        Effect: 'Allow',
        Principal: { Service: 'sns.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: `${ARN_PREFIX}:checkout-events`,
        Condition: {
          ArnEquals: { 'aws:SourceArn': 'arn:aws:sns:eu-west-1:1:orders' },
        },
      };
      givenQueues({
        'checkout-events': {
          tags: OWN_TAGS,
          attributes: {
            ...defaultAttributes('checkout-events'),
            Policy: JSON.stringify({
              Version: '2012-10-17',
              Id: 'checkout-events-policy',
              Statement: [snsStatement],
            }),
          },
        },
      });

      const result = await provider().apply(resource());

      expect(
        sqs.commandCalls(SetQueueAttributesCommand).map(c => c.args[0].input),
      ).toEqual([
        {
          QueueUrl: `${ACCOUNT_URL}/checkout-events`,
          Attributes: {
            Policy: JSON.stringify({
              Version: '2012-10-17',
              Id: 'checkout-events-policy',
              Statement: [snsStatement, tlsOnlyStatement('checkout-events')],
            }),
          },
        },
      ]);
      expect(result.conditions).toContainEqual(
        expect.objectContaining({
          type: 'SecureTransportOnly',
          status: 'True',
        }),
      );
    });

    it('leaves a policy alone that SQS gives back with its keys in another order', async () => {
      const { Condition, ...rest } = tlsOnlyStatement('checkout-events');
      givenQueues({
        'checkout-events': {
          tags: OWN_TAGS,
          attributes: {
            ...defaultAttributes('checkout-events'),
            Policy: JSON.stringify({
              Statement: [{ Condition, ...rest }],
              Version: '2012-10-17',
            }),
          },
        },
      });

      await provider().apply(resource());

      expect(sqs).not.toHaveReceivedCommand(SetQueueAttributesCommand);
    });

    it('replaces a changed TLS-only statement instead of adding a second', async () => {
      givenQueues({
        'checkout-events': {
          tags: OWN_TAGS,
          attributes: {
            ...defaultAttributes('checkout-events'),
            Policy: JSON.stringify({
              Version: '2012-10-17',
              Statement: [
                { ...tlsOnlyStatement('checkout-events'), Action: 'sqs:Send*' },
              ],
            }),
          },
        },
      });

      await provider().apply(resource());

      expect(sentPolicies(sqs.commandCalls(SetQueueAttributesCommand))).toEqual(
        [
          {
            QueueUrl: `${ACCOUNT_URL}/checkout-events`,
            Policy: {
              Version: '2012-10-17',
              Statement: [tlsOnlyStatement('checkout-events')],
            },
          },
        ],
      );
    });

    it('creates the FIFO dead-letter queue first and redrives the FIFO queue into it', async () => {
      givenNoQueues();
      const kmsKeyId = 'alias/checkout-queues';

      const result = await provider().apply(
        resource({
          spec: {
            fifo: true,
            visibilityTimeoutSeconds: 120,
            messageRetentionSeconds: 86400,
            deadLetterQueue: { maxReceiveCount: 5 },
            kmsKeyId,
          },
        }),
      );

      const creates = sqs
        .commandCalls(CreateQueueCommand)
        .map(call => call.args[0].input);
      expect(creates).toEqual([
        {
          QueueName: 'checkout-events-dlq.fifo',
          Attributes: {
            FifoQueue: 'true',
            VisibilityTimeout: '120',
            MessageRetentionPeriod: '1209600',
            KmsMasterKeyId: kmsKeyId,
          },
          tags: OWN_TAGS,
        },
        {
          QueueName: 'checkout-events.fifo',
          Attributes: {
            FifoQueue: 'true',
            VisibilityTimeout: '120',
            MessageRetentionPeriod: '86400',
            KmsMasterKeyId: kmsKeyId,
            RedrivePolicy: JSON.stringify({
              deadLetterTargetArn: `${ARN_PREFIX}:checkout-events-dlq.fifo`,
              maxReceiveCount: 5,
            }),
          },
          tags: OWN_TAGS,
        },
      ]);
      expect(result.outputs).toMatchObject({
        queueName: 'checkout-events.fifo',
        deadLetterQueueName: 'checkout-events-dlq.fifo',
        deadLetterQueueUrl: `${ACCOUNT_URL}/checkout-events-dlq.fifo`,
        deadLetterQueueArn: `${ARN_PREFIX}:checkout-events-dlq.fifo`,
      });
      expect(result.conditions).toContainEqual(
        expect.objectContaining({
          type: 'Encrypted',
          reason: 'KmsKey',
          message: `Messages are encrypted with KMS key ${kmsKeyId}`,
        }),
      );
      expect(result.conditions).toContainEqual({
        type: 'DeadLetterQueue',
        status: 'True',
        reason: 'Applied',
        message: 'Messages move to checkout-events-dlq.fifo after 5 receives',
      });
    });

    it('keeps a .fifo suffix the FIFO resource name already has', async () => {
      givenNoQueues();

      await provider().apply(
        resource({ name: 'checkout-events.fifo', spec: { fifo: true } }),
      );

      expect(sqs).toHaveReceivedCommandWith(CreateQueueCommand, {
        QueueName: 'checkout-events.fifo',
      });
    });

    it('changes only the attributes and tags that differ on a queue it owns', async () => {
      givenQueues({
        'checkout-events': {
          tags: { 'paasport.io/resource-id': 'res-0001' },
          attributes: {
            ...defaultAttributes('checkout-events'),
            VisibilityTimeout: '60',
          },
        },
      });

      const result = await provider().apply(resource());

      expect(sqs).not.toHaveReceivedCommand(CreateQueueCommand);
      expect(
        sqs.commandCalls(SetQueueAttributesCommand)[0].args[0].input,
      ).toEqual({
        QueueUrl: `${ACCOUNT_URL}/checkout-events`,
        Attributes: { VisibilityTimeout: '30' },
      });
      expect(sqs.commandCalls(TagQueueCommand)[0].args[0].input).toEqual({
        QueueUrl: `${ACCOUNT_URL}/checkout-events`,
        Tags: { 'paasport.io/organization': 'checkout' },
      });
      expect(result.state).toBe('ready');
      expect(result.conditions?.[0]).toMatchObject({
        type: 'Owned',
        reason: 'OwnershipTagMatches',
      });
    });

    it('sends nothing to change when the queue already matches', async () => {
      givenQueues({ 'checkout-events': { tags: OWN_TAGS } });

      const result = await provider().apply(resource());

      expect(result.state).toBe('ready');
      expectNoMutation();
    });

    it('removes the redrive policy when the spec drops the dead-letter queue', async () => {
      givenQueues({
        'checkout-events': {
          tags: OWN_TAGS,
          attributes: {
            ...defaultAttributes('checkout-events'),
            RedrivePolicy: `{"deadLetterTargetArn":"${ARN_PREFIX}:checkout-events-dlq","maxReceiveCount":"5"}`,
          },
        },
      });

      await provider().apply(resource());

      expect(sqs).toHaveReceivedCommandWith(SetQueueAttributesCommand, {
        Attributes: { RedrivePolicy: '' },
      });
    });

    it('reads a redrive policy whose count SQS reports as a string as unchanged', async () => {
      givenQueues({
        'checkout-events-dlq': { tags: OWN_TAGS },
        'checkout-events': {
          tags: OWN_TAGS,
          attributes: {
            ...defaultAttributes('checkout-events'),
            RedrivePolicy: `{"deadLetterTargetArn":"${ARN_PREFIX}:checkout-events-dlq","maxReceiveCount":"5"}`,
          },
        },
      });

      await provider().apply(
        resource({ spec: { deadLetterQueue: { maxReceiveCount: 5 } } }),
      );

      // Only the dead-letter queue's retention differs from what it should be.
      expect(
        sqs.commandCalls(SetQueueAttributesCommand).map(c => c.args[0].input),
      ).toEqual([
        {
          QueueUrl: `${ACCOUNT_URL}/checkout-events-dlq`,
          Attributes: { MessageRetentionPeriod: '1209600' },
        },
      ]);
    });

    it.each([
      [
        'tagged for another resource',
        { 'paasport.io/resource-id': 'res-0002' },
        'SQS queue checkout-events belongs to another Paasport resource',
      ],
      [
        'without the ownership tag',
        {},
        'SQS queue checkout-events already exists without the paasport.io/resource-id tag',
      ],
    ])('refuses a queue %s and changes nothing', async (_, tags, message) => {
      givenQueues({ 'checkout-events': { tags } });

      const failure = provider().apply(resource());

      await expect(failure).rejects.toThrow(ConflictError);
      await expect(failure).rejects.toThrow(message);
      await expect(failure).rejects.not.toThrow('res-0002');
      expectNoMutation();
    });

    it('refuses a dead-letter queue of another resource before touching the main queue', async () => {
      givenQueues({
        'checkout-events-dlq': {
          tags: { 'paasport.io/resource-id': 'res-0002' },
        },
      });

      await expect(
        provider().apply(
          resource({ spec: { deadLetterQueue: { maxReceiveCount: 3 } } }),
        ),
      ).rejects.toThrow(
        'SQS queue checkout-events-dlq belongs to another Paasport resource',
      );
      expectNoMutation();
    });

    /** GetQueueUrl missed the queue, then CreateQueue met it with other attributes. */
    function givenQueueNameExists(tags: Record<string, string>) {
      givenNoQueues();
      sqs
        .on(GetQueueUrlCommand)
        .rejectsOnce(doesNotExist())
        .resolves({ QueueUrl: `${ACCOUNT_URL}/checkout-events` });
      sqs.on(CreateQueueCommand).rejects(
        new QueueNameExists({
          $metadata: { httpStatusCode: 400 },
          message: 'A queue already exists with the same name',
        }),
      );
      sqs.on(ListQueueTagsCommand).resolves({ Tags: tags });
      sqs.on(GetQueueAttributesCommand).resolves({
        Attributes: {
          ...defaultAttributes('checkout-events'),
          VisibilityTimeout: '10',
        },
      });
    }

    it('on QueueNameExists adopts the queue when it is ours', async () => {
      givenQueueNameExists(OWN_TAGS);

      await expect(provider().apply(resource())).resolves.toMatchObject({
        state: 'ready',
      });
      expect(sqs).toHaveReceivedCommandTimes(CreateQueueCommand, 1);
      expect(sqs).toHaveReceivedCommandWith(SetQueueAttributesCommand, {
        Attributes: { VisibilityTimeout: '30' },
      });
    });

    it('on QueueNameExists refuses a queue of another resource', async () => {
      givenQueueNameExists({ 'paasport.io/resource-id': 'res-0002' });

      await expect(provider().apply(resource())).rejects.toThrow(ConflictError);
      expect(sqs).toHaveReceivedCommandTimes(CreateQueueCommand, 1);
      expect(sqs).not.toHaveReceivedCommand(SetQueueAttributesCommand);
      expect(sqs).not.toHaveReceivedCommand(TagQueueCommand);
    });

    it('explains QueueDeletedRecently', async () => {
      givenNoQueues();
      sqs.on(CreateQueueCommand).rejects(
        new QueueDeletedRecently({
          $metadata: { httpStatusCode: 400 },
          message: 'You must wait 60 seconds after deleting a queue',
        }),
      );

      const failure = provider().apply(resource());

      await expect(failure).rejects.toThrow(ConflictError);
      await expect(failure).rejects.toThrow(
        'SQS queue checkout-events was deleted less than 60 seconds ago, and SQS does not create a queue of the same name until then; apply again in a minute',
      );
    });

    it('names the queue and the step when a call fails', async () => {
      givenQueues({ 'checkout-events': { tags: OWN_TAGS } });
      sqs.on(ListQueueTagsCommand).rejects(
        Object.assign(new Error('not authorized'), {
          name: 'AccessDenied',
          $metadata: { httpStatusCode: 403 },
        }),
      );

      await expect(provider().apply(resource())).rejects.toMatchObject({
        name: 'AccessDenied',
        message: expect.stringContaining(
          'Could not read the tags of SQS queue checkout-events',
        ),
      });
    });

    it.each([
      ['a standard queue named .fifo', 'events.fifo', {}, 'ends in .fifo'],
      [
        'a name with a dot',
        'checkout.events',
        {},
        'not a valid SQS queue name',
      ],
      [
        'a name too long for its dead-letter queue',
        'q'.repeat(72),
        { fifo: true },
        'within 80 characters',
      ],
    ])('refuses %s before any call', async (_, name, spec, message) => {
      const failure = provider().apply(resource({ name, spec }));

      await expect(failure).rejects.toThrow(InputError);
      await expect(failure).rejects.toThrow(message);
      expect(sqs.calls()).toHaveLength(0);
    });

    it('refuses a spec with a retention SQS does not allow', async () => {
      await expect(
        provider().apply(resource({ spec: { messageRetentionSeconds: 30 } })),
      ).rejects.toThrow('messageRetentionSeconds');
      expect(sqs.calls()).toHaveLength(0);
    });
  });

  describe('observe', () => {
    it('returns undefined when the queue does not exist', async () => {
      givenNoQueues();

      await expect(provider().observe(resource())).resolves.toBeUndefined();
      expect(sentCommands()).toEqual(['GetQueueUrlCommand']);
    });

    it('reports a queue that matches the spec as ready, changing nothing', async () => {
      givenQueues({
        'checkout-events-dlq': { tags: OWN_TAGS },
        'checkout-events': {
          tags: OWN_TAGS,
          attributes: {
            ...defaultAttributes('checkout-events'),
            RedrivePolicy: `{"deadLetterTargetArn":"${ARN_PREFIX}:checkout-events-dlq","maxReceiveCount":4}`,
          },
        },
      });

      const result = await provider().observe(
        resource({ spec: { deadLetterQueue: { maxReceiveCount: 4 } } }),
      );

      expect(result).toMatchObject({
        state: 'ready',
        externalId: `${ARN_PREFIX}:checkout-events`,
        outputs: {
          deadLetterQueueArn: `${ARN_PREFIX}:checkout-events-dlq`,
        },
        conditions: [{ type: 'Owned', reason: 'OwnershipTagMatches' }],
      });
      expectNoMutation();
    });

    it('reports pending, naming the attributes, when the queue differs from the spec', async () => {
      givenQueues({
        'checkout-events': {
          tags: OWN_TAGS,
          attributes: {
            ...defaultAttributes('checkout-events'),
            SqsManagedSseEnabled: 'false',
          },
        },
      });

      const result = await provider().observe(resource());

      expect(result?.state).toBe('pending');
      expect(result?.conditions).toContainEqual({
        type: 'Configured',
        status: 'False',
        reason: 'DiffersFromSpec',
        message:
          'Attributes SqsManagedSseEnabled differ from the spec; the next apply sets them',
      });
    });

    it('reports pending when the queue policy lacks the TLS-only statement', async () => {
      const { Policy: _, ...withoutPolicy } =
        defaultAttributes('checkout-events');
      givenQueues({
        'checkout-events': { tags: OWN_TAGS, attributes: withoutPolicy },
      });

      const result = await provider().observe(resource());

      expect(result?.state).toBe('pending');
      expect(result?.conditions).toContainEqual({
        type: 'SecureTransportOnly',
        status: 'False',
        reason: 'DiffersFromSpec',
        message:
          'The queue policy does not deny requests without TLS; the next apply adds the statement',
      });
    });

    it('throws a ConflictError for a queue of another resource', async () => {
      givenQueues({
        'checkout-events': { tags: { 'paasport.io/resource-id': 'res-0002' } },
      });

      await expect(provider().observe(resource())).rejects.toThrow(
        ConflictError,
      );
    });
  });

  describe('delete', () => {
    it('deletes the queue, then its dead-letter queue', async () => {
      givenQueues({
        'checkout-events': { tags: OWN_TAGS },
        'checkout-events-dlq': { tags: OWN_TAGS },
      });

      await provider().delete(resource());

      expect(
        sqs.commandCalls(DeleteQueueCommand).map(c => c.args[0].input),
      ).toEqual([
        { QueueUrl: `${ACCOUNT_URL}/checkout-events` },
        { QueueUrl: `${ACCOUNT_URL}/checkout-events-dlq` },
      ]);
    });

    it('succeeds without DeleteQueue when the queues are gone', async () => {
      givenNoQueues();

      await provider().delete(resource());

      expect(sqs).not.toHaveReceivedCommand(DeleteQueueCommand);
    });

    it('counts QueueDoesNotExist from DeleteQueue as done', async () => {
      givenQueues({ 'checkout-events': { tags: OWN_TAGS } });
      sqs.on(DeleteQueueCommand).rejects(doesNotExist());

      await expect(provider().delete(resource())).resolves.toBeUndefined();
    });

    it('deletes nothing when the queue belongs to another resource', async () => {
      givenQueues({
        'checkout-events': { tags: { 'paasport.io/resource-id': 'res-0002' } },
        'checkout-events-dlq': { tags: OWN_TAGS },
      });

      await expect(provider().delete(resource())).rejects.toThrow(
        ConflictError,
      );
      expect(sqs).not.toHaveReceivedCommand(DeleteQueueCommand);
    });

    it('leaves a dead-letter queue of the name alone when it is not ours', async () => {
      givenQueues({
        'checkout-events': { tags: OWN_TAGS },
        'checkout-events-dlq': { tags: { team: 'other' } },
      });

      await provider().delete(resource());

      expect(
        sqs.commandCalls(DeleteQueueCommand).map(c => c.args[0].input),
      ).toEqual([{ QueueUrl: `${ACCOUNT_URL}/checkout-events` }]);
    });
  });
});
