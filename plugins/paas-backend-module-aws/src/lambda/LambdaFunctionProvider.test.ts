import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  FunctionConfiguration,
  GetFunctionCommand,
  LambdaClient,
  ResourceConflictException,
  ResourceNotFoundException,
  TagResourceCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import {
  GetObjectCommand,
  GetObjectCommandOutput,
  HeadObjectCommand,
  NotFound,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { DesiredResource } from '@paasport/plugin-paas-node';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import {
  LAMBDA_MAX_UPLOAD_BYTES,
  LambdaFunctionProvider,
} from './LambdaFunctionProvider';
import { singleAccount } from '../accountClients';

const FUNCTION = 'checkout-orders-api';
const ARN = `arn:aws:lambda:eu-west-1:123456789012:function:${FUNCTION}`;
const ROLE = 'arn:aws:iam::123456789012:role/paasport-lambda';
const CHECKOUT_ROLE = 'arn:aws:iam::123456789012:role/paasport-checkout-lambda';
const CODE_BUCKETS = ['checkout-artifacts'];
/** SHA-256 of s3://checkout-artifacts/orders/1.4.0.zip, the default spec's code. */
const CODE_1_4 =
  'af8e16ad49e953733d019e48df1e5c23ea95d13cada44a6d2353ba8a5168ceb7';
/** SHA-256 of s3://checkout-artifacts/orders/1.5.0.zip. */
const CODE_1_5 =
  'ddded598598e25fa2efc70337df89337fe8eadf4cf48b7745480ea39d88b8038';

const SPEC = {
  runtime: 'nodejs22.x',
  handler: 'index.handler',
  codeS3Bucket: 'checkout-artifacts',
  codeS3Key: 'orders/1.4.0.zip',
};

/** A resource whose spec is given as a user writes it; the provider fills in defaults. */
function resource(
  overrides: Partial<Omit<DesiredResource, 'spec'>> & { spec?: object } = {},
): DesiredResource {
  return {
    id: 'res-0001',
    kind: 'aws:lambda-function',
    name: FUNCTION,
    organization: 'checkout',
    owner: 'group:default/checkout',
    spec: SPEC,
    tags: { 'paasport.io/organization': 'checkout' },
    ...overrides,
  } as DesiredResource;
}

/** The configuration Lambda reports for a function made from the default spec. */
function configuration(
  overrides: Partial<FunctionConfiguration> = {},
): FunctionConfiguration {
  return {
    FunctionName: FUNCTION,
    FunctionArn: ARN,
    Runtime: 'nodejs22.x',
    Handler: 'index.handler',
    Role: ROLE,
    MemorySize: 256,
    Timeout: 30,
    State: 'Active',
    LastUpdateStatus: 'Successful',
    ...overrides,
  };
}

const OWN_TAGS = {
  'paasport.io/organization': 'checkout',
  'paasport.io/resource-id': 'res-0001',
  'paasport.io/code-source': CODE_1_4,
};

const notFound = () =>
  new ResourceNotFoundException({
    $metadata: { httpStatusCode: 404 },
    message: `Function not found: ${ARN}`,
  });
const conflict = () =>
  new ResourceConflictException({
    $metadata: { httpStatusCode: 409 },
    message: `Function already exist: ${FUNCTION}`,
  });

const MUTATING_COMMANDS = [
  CreateFunctionCommand,
  DeleteFunctionCommand,
  TagResourceCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
];

describe('LambdaFunctionProvider', () => {
  const client = new LambdaClient({ region: 'eu-west-1' });
  const lambda = mockClient(client);

  function provider(
    options: Partial<
      Omit<ConstructorParameters<typeof LambdaFunctionProvider>[0], 'clientFor'>
    > = { executionRoleArn: ROLE, allowSharedExecutionRole: true },
  ) {
    return new LambdaFunctionProvider({
      clientFor: singleAccount({ client, region: 'eu-west-1' }),
      codeBuckets: CODE_BUCKETS,
      ...options,
    });
  }

  function givenFunction(
    tags: Record<string, string> = OWN_TAGS,
    overrides: Partial<FunctionConfiguration> = {},
  ) {
    lambda
      .on(GetFunctionCommand)
      .resolves({ Configuration: configuration(overrides), Tags: tags });
    lambda.on(TagResourceCommand).resolves({});
    lambda.on(DeleteFunctionCommand).resolves({});
    lambda
      .on(UpdateFunctionConfigurationCommand)
      .resolves(configuration({ LastUpdateStatus: 'InProgress' }));
    lambda
      .on(UpdateFunctionCodeCommand)
      .resolves(configuration({ LastUpdateStatus: 'InProgress' }));
  }

  const sentCommands = () =>
    lambda.calls().map(call => (call.args[0] as object).constructor.name);

  function expectNoMutation() {
    for (const command of MUTATING_COMMANDS) {
      expect(lambda).not.toHaveReceivedCommand(
        command as typeof TagResourceCommand,
      );
    }
  }

  beforeEach(() => lambda.reset());

  describe('apply', () => {
    it('creates the function from the S3 object, as the configured role, with its tags', async () => {
      lambda.on(GetFunctionCommand).rejects(notFound());
      lambda
        .on(CreateFunctionCommand)
        .resolves(
          configuration({ State: 'Pending', LastUpdateStatus: undefined }),
        );

      const result = await provider().apply(resource());

      expect(sentCommands()).toEqual([
        'GetFunctionCommand',
        'CreateFunctionCommand',
      ]);
      expect(
        lambda.commandCalls(CreateFunctionCommand)[0].args[0].input,
      ).toEqual({
        FunctionName: FUNCTION,
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Role: ROLE,
        Code: {
          S3Bucket: 'checkout-artifacts',
          S3Key: 'orders/1.4.0.zip',
        },
        PackageType: 'Zip',
        MemorySize: 256,
        Timeout: 30,
        Publish: false,
        Tags: OWN_TAGS,
      });
      expect(result).toEqual({
        state: 'pending',
        externalId: ARN,
        outputs: {
          functionName: FUNCTION,
          arn: ARN,
          region: 'eu-west-1',
          consoleUrl: `https://eu-west-1.console.aws.amazon.com/lambda/home?region=eu-west-1#/functions/${FUNCTION}`,
        },
        conditions: [
          expect.objectContaining({
            type: 'Owned',
            reason: 'CreatedByThisApply',
          }),
          expect.objectContaining({ type: 'Configured', status: 'True' }),
          {
            type: 'CodeDeployed',
            status: 'True',
            reason: 'Applied',
            message:
              'The code comes from s3://checkout-artifacts/orders/1.4.0.zip',
          },
          {
            type: 'Active',
            status: 'False',
            reason: 'Waiting',
            message: 'Lambda is creating the function',
          },
        ],
      });
    });

    it('refuses a function without an execution role, naming the config keys, before any call', async () => {
      lambda.on(GetFunctionCommand).rejects(notFound());

      const failure = provider({}).apply(resource());

      await expect(failure).rejects.toThrow(NotAllowedError);
      await expect(failure).rejects.toThrow(
        `Lambda function ${FUNCTION} cannot be applied: organization checkout has no execution role; set paas.aws.organizations.checkout.lambdaExecutionRoleArn to the ARN of the IAM role its functions run as`,
      );
      expect(lambda.calls()).toHaveLength(0);
    });

    it('changes nothing on an own function that matches the spec, and is ready', async () => {
      givenFunction();

      const result = await provider().apply(resource());

      expectNoMutation();
      expect(result.state).toBe('ready');
      expect(result.conditions).toEqual([
        expect.objectContaining({
          type: 'Owned',
          reason: 'OwnershipTagMatches',
        }),
        expect.objectContaining({ type: 'Configured', reason: 'MatchesSpec' }),
        expect.objectContaining({
          type: 'CodeDeployed',
          reason: 'MatchesSpec',
        }),
        expect.objectContaining({ type: 'Active', status: 'True' }),
      ]);
    });

    it('updates only the configuration fields that differ, and leaves the code for the next apply', async () => {
      givenFunction(OWN_TAGS, { MemorySize: 128, Handler: 'index.handler' });

      const result = await provider().apply(
        resource({
          spec: { ...SPEC, codeS3Key: 'orders/1.5.0.zip', timeoutSeconds: 60 },
        }),
      );

      expect(
        lambda.commandCalls(UpdateFunctionConfigurationCommand)[0].args[0]
          .input,
      ).toEqual({ FunctionName: FUNCTION, MemorySize: 256, Timeout: 60 });
      expect(lambda).not.toHaveReceivedCommand(UpdateFunctionCodeCommand);
      expect(result.state).toBe('pending');
      expect(result.conditions).toContainEqual(
        expect.objectContaining({
          type: 'CodeDeployed',
          status: 'False',
          reason: 'Waiting',
        }),
      );
    });

    it('updates the code when the spec names another object, then records its source', async () => {
      givenFunction();

      const result = await provider().apply(
        resource({ spec: { ...SPEC, codeS3Key: 'orders/1.5.0.zip' } }),
      );

      expect(sentCommands()).toEqual([
        'GetFunctionCommand',
        'UpdateFunctionCodeCommand',
        'TagResourceCommand',
      ]);
      expect(
        lambda.commandCalls(UpdateFunctionCodeCommand)[0].args[0].input,
      ).toEqual({
        FunctionName: FUNCTION,
        S3Bucket: 'checkout-artifacts',
        S3Key: 'orders/1.5.0.zip',
      });
      expect(lambda.commandCalls(TagResourceCommand)[0].args[0].input).toEqual({
        Resource: ARN,
        Tags: { 'paasport.io/code-source': CODE_1_5 },
      });
      expect(lambda).not.toHaveReceivedCommand(
        UpdateFunctionConfigurationCommand,
      );
      // Lambda reports the update as in progress: pending until the next observe.
      expect(result.state).toBe('pending');
    });

    it('switches to the configured role when the function runs as another', async () => {
      givenFunction(OWN_TAGS, {
        Role: 'arn:aws:iam::123456789012:role/legacy',
      });

      await provider().apply(resource());

      expect(
        lambda.commandCalls(UpdateFunctionConfigurationCommand)[0].args[0]
          .input,
      ).toEqual({ FunctionName: FUNCTION, Role: ROLE });
    });

    it('adds only the tags the function lacks', async () => {
      givenFunction();

      await provider().apply(resource({ tags: { team: 'payments' } }));

      expect(lambda.commandCalls(TagResourceCommand)[0].args[0].input).toEqual({
        Resource: ARN,
        Tags: { team: 'payments' },
      });
    });

    it('changes nothing while Lambda is still applying an update', async () => {
      givenFunction(OWN_TAGS, {
        LastUpdateStatus: 'InProgress',
        MemorySize: 128,
      });

      const result = await provider().apply(resource());

      expectNoMutation();
      expect(result.state).toBe('pending');
    });

    it('reports a function Lambda could not create as failed, with the reason', async () => {
      givenFunction(OWN_TAGS, {
        State: 'Failed',
        StateReason:
          'The role defined for the function cannot be assumed by Lambda.',
      });

      const result = await provider().apply(resource());

      expect(result.state).toBe('failed');
      expect(result.conditions).toContainEqual({
        type: 'Active',
        status: 'False',
        reason: 'Failed',
        message:
          'Lambda could not create the function: The role defined for the function cannot be assumed by Lambda.',
      });
    });

    /** GetFunction missed the function, then CreateFunction met it. */
    function givenCreateConflict(tags: Record<string, string>) {
      givenFunction(tags, { Timeout: 3 });
      lambda
        .on(GetFunctionCommand)
        .rejectsOnce(notFound())
        .resolves({ Configuration: configuration({ Timeout: 3 }), Tags: tags });
      lambda.on(CreateFunctionCommand).rejects(conflict());
    }

    it('on ResourceConflictException adopts the function when it is ours', async () => {
      givenCreateConflict(OWN_TAGS);

      await expect(provider().apply(resource())).resolves.toMatchObject({
        state: 'pending',
      });
      expect(lambda).toHaveReceivedCommandTimes(CreateFunctionCommand, 1);
      expect(lambda).toHaveReceivedCommandTimes(GetFunctionCommand, 2);
      expect(lambda).toHaveReceivedCommandWith(
        UpdateFunctionConfigurationCommand,
        { FunctionName: FUNCTION, Timeout: 30 },
      );
    });

    it('on ResourceConflictException refuses a function of another resource', async () => {
      givenCreateConflict({ 'paasport.io/resource-id': 'res-0002' });

      await expect(provider().apply(resource())).rejects.toThrow(ConflictError);
      expect(lambda).toHaveReceivedCommandTimes(CreateFunctionCommand, 1);
      expect(lambda).not.toHaveReceivedCommand(
        UpdateFunctionConfigurationCommand,
      );
      expect(lambda).not.toHaveReceivedCommand(TagResourceCommand);
    });

    it.each([
      [
        'tagged for another resource',
        { 'paasport.io/resource-id': 'res-0002' },
        `Lambda function ${FUNCTION} belongs to another Paasport resource`,
      ],
      [
        'without the ownership tag',
        { team: 'legacy' },
        `Lambda function ${FUNCTION} already exists without the paasport.io/resource-id tag`,
      ],
    ])(
      'refuses a function %s and changes nothing',
      async (_, tags, message) => {
        givenFunction(tags, { MemorySize: 1024 });

        const failure = provider().apply(resource());

        await expect(failure).rejects.toThrow(ConflictError);
        await expect(failure).rejects.toThrow(message);
        await expect(failure).rejects.not.toThrow('res-0002');
        expectNoMutation();
      },
    );

    it('refuses to decide ownership when Lambda could not read the tags', async () => {
      lambda.on(GetFunctionCommand).resolves({
        Configuration: configuration(),
        TagsError: {
          ErrorCode: 'AccessDeniedException',
          Message: 'not authorized to perform lambda:ListTags',
        },
      });

      await expect(provider().apply(resource())).rejects.toThrow(
        `Could not read the tags of Lambda function ${FUNCTION}, so its ownership cannot be checked: AccessDeniedException not authorized to perform lambda:ListTags`,
      );
      expectNoMutation();
    });

    it('names the function and the step when an update fails', async () => {
      givenFunction(OWN_TAGS, { MemorySize: 128 });
      lambda.on(UpdateFunctionConfigurationCommand).rejects(conflict());

      await expect(provider().apply(resource())).rejects.toMatchObject({
        name: 'ResourceConflictException',
        message: expect.stringContaining(
          `Could not update the configuration of Lambda function ${FUNCTION}`,
        ),
      });
    });

    it.each([
      ['a bad name', { name: 'orders.api' }],
      ['an unknown runtime', { spec: { ...SPEC, runtime: 'nodejs12.x' } }],
      ['too much memory', { spec: { ...SPEC, memoryMiB: 20000 } }],
    ])('refuses %s before any call', async (_, overrides) => {
      await expect(provider().apply(resource(overrides))).rejects.toThrow(
        InputError,
      );
      expect(lambda.calls()).toHaveLength(0);
    });
  });

  describe('tenancy', () => {
    it("creates the function as its organization's own role, not the shared one", async () => {
      lambda.on(GetFunctionCommand).rejects(notFound());
      lambda.on(CreateFunctionCommand).resolves(configuration());

      await provider({
        executionRoleArn: ROLE,
        organizationExecutionRoleArns: { checkout: CHECKOUT_ROLE },
      }).apply(resource());

      expect(lambda).toHaveReceivedCommandWith(CreateFunctionCommand, {
        Role: CHECKOUT_ROLE,
      });
    });

    it("switches an existing function to its organization's role", async () => {
      givenFunction();

      await provider({
        executionRoleArn: ROLE,
        allowSharedExecutionRole: true,
        organizationExecutionRoleArns: { checkout: CHECKOUT_ROLE },
      }).apply(resource());

      expect(
        lambda.commandCalls(UpdateFunctionConfigurationCommand)[0].args[0]
          .input,
      ).toEqual({ FunctionName: FUNCTION, Role: CHECKOUT_ROLE });
    });

    it('refuses the shared role unless it is explicitly allowed, before any call', async () => {
      givenFunction();

      const failure = provider({
        executionRoleArn: ROLE,
        organizationExecutionRoleArns: { search: CHECKOUT_ROLE },
      }).apply(resource());

      await expect(failure).rejects.toThrow(NotAllowedError);
      await expect(failure).rejects.toThrow(
        'or set paas.aws.lambda.allowSharedExecutionRole to let every organization without a role of its own share paas.aws.lambda.executionRoleArn',
      );
      expect(lambda.calls()).toHaveLength(0);
    });

    it('refuses a code bucket that is not configured, naming the field, before any call', async () => {
      const failure = provider().apply(
        resource({ spec: { ...SPEC, codeS3Bucket: 'portal-secrets' } }),
      );

      await expect(failure).rejects.toThrow(InputError);
      await expect(failure).rejects.toThrow(
        `Invalid spec of Lambda function ${FUNCTION}: codeS3Bucket: portal-secrets is not a bucket functions may take code from (paas.aws.lambda.codeBuckets)`,
      );
      expect(lambda.calls()).toHaveLength(0);
    });

    it('refuses every code bucket when none is configured', async () => {
      await expect(
        provider({
          executionRoleArn: ROLE,
          allowSharedExecutionRole: true,
          codeBuckets: undefined,
        }).apply(resource()),
      ).rejects.toThrow(
        'codeS3Bucket: checkout-artifacts is not a bucket functions may take code from (paas.aws.lambda.codeBuckets)',
      );
      expect(lambda.calls()).toHaveLength(0);
    });

    it('matches configured entries that end in * by prefix', async () => {
      const prefixed = provider({
        executionRoleArn: ROLE,
        allowSharedExecutionRole: true,
        codeBuckets: ['checkout-*'],
      });

      expect(() => prefixed.validate(resource())).not.toThrow();
      expect(() =>
        prefixed.validate(
          resource({ spec: { ...SPEC, codeS3Bucket: 'checkoutx-artifacts' } }),
        ),
      ).toThrow(InputError);
    });

    it('still deletes a function whose code bucket is no longer allowed', async () => {
      givenFunction();

      await provider({ codeBuckets: [] }).delete(resource());

      expect(lambda).toHaveReceivedCommand(DeleteFunctionCommand);
    });
  });

  describe('observe', () => {
    it('returns undefined when the function does not exist', async () => {
      lambda.on(GetFunctionCommand).rejects(notFound());

      await expect(provider().observe(resource())).resolves.toBeUndefined();
    });

    it('reports a function that matches the spec as ready', async () => {
      givenFunction();

      await expect(provider().observe(resource())).resolves.toEqual({
        state: 'ready',
        externalId: ARN,
        outputs: expect.objectContaining({ functionName: FUNCTION, arn: ARN }),
        conditions: [
          expect.objectContaining({
            type: 'Owned',
            reason: 'OwnershipTagMatches',
          }),
          expect.objectContaining({ type: 'Configured', status: 'True' }),
          expect.objectContaining({ type: 'CodeDeployed', status: 'True' }),
          expect.objectContaining({ type: 'Active', status: 'True' }),
        ],
      });
      expectNoMutation();
    });

    it('reports pending when the code or configuration differ from the spec', async () => {
      givenFunction(OWN_TAGS, { Runtime: 'nodejs20.x' });

      const result = await provider().observe(
        resource({ spec: { ...SPEC, codeS3Key: 'orders/1.5.0.zip' } }),
      );

      expect(result?.state).toBe('pending');
      expect(result?.conditions).toEqual(
        expect.arrayContaining([
          {
            type: 'Configured',
            status: 'False',
            reason: 'DiffersFromSpec',
            message: 'Runtime differ from the spec; the next apply updates it',
          },
          {
            type: 'CodeDeployed',
            status: 'False',
            reason: 'DiffersFromSpec',
            message:
              'The code does not come from s3://checkout-artifacts/orders/1.5.0.zip; the next apply updates it',
          },
        ]),
      );
      expectNoMutation();
    });

    it('throws a ConflictError for a function of another resource', async () => {
      givenFunction({ 'paasport.io/resource-id': 'res-0002' });

      await expect(provider().observe(resource())).rejects.toThrow(
        ConflictError,
      );
    });
  });

  describe('delete', () => {
    it('deletes a function it owns', async () => {
      givenFunction();

      await provider().delete(resource());

      expect(
        lambda.commandCalls(DeleteFunctionCommand)[0].args[0].input,
      ).toEqual({ FunctionName: FUNCTION });
    });

    it('succeeds without DeleteFunction when the function is gone', async () => {
      lambda.on(GetFunctionCommand).rejects(notFound());

      await provider().delete(resource());

      expect(sentCommands()).toEqual(['GetFunctionCommand']);
    });

    it('counts ResourceNotFoundException from DeleteFunction as done', async () => {
      givenFunction();
      lambda.on(DeleteFunctionCommand).rejects(notFound());

      await expect(provider().delete(resource())).resolves.toBeUndefined();
    });

    it('never deletes a function of another resource', async () => {
      givenFunction({ 'paasport.io/resource-id': 'res-0002' });

      await expect(provider().delete(resource())).rejects.toThrow(
        ConflictError,
      );
      expect(lambda).not.toHaveReceivedCommand(DeleteFunctionCommand);
    });
  });

  describe('codeDelivery upload', () => {
    const s3Client = new S3Client({ region: 'eu-west-1' });
    const s3 = mockClient(s3Client);
    const ZIP = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]);

    function uploading() {
      return new LambdaFunctionProvider({
        clientFor: singleAccount({ client, region: 'eu-west-1' }),
        executionRoleArn: ROLE,
        allowSharedExecutionRole: true,
        codeBuckets: CODE_BUCKETS,
        codeDelivery: 'upload',
        s3ClientFor: singleAccount({ client: s3Client, region: 'eu-west-1' }),
      });
    }

    /** The S3 object holds `bytes`; HeadObject reports `size` (their length by default). */
    function givenObject(bytes: Uint8Array, size = bytes.byteLength) {
      s3.on(HeadObjectCommand).resolves({ ContentLength: size });
      s3.on(GetObjectCommand).resolves({
        Body: {
          transformToByteArray: async () => bytes,
        } as unknown as GetObjectCommandOutput['Body'],
      });
    }

    beforeEach(() => s3.reset());

    it('creates the function with the bytes of the S3 object, not a reference to it', async () => {
      lambda.on(GetFunctionCommand).rejects(notFound());
      lambda.on(CreateFunctionCommand).resolves(configuration());
      givenObject(ZIP);

      const result = await uploading().apply(resource());

      expect(s3).toHaveReceivedCommandWith(HeadObjectCommand, {
        Bucket: 'checkout-artifacts',
        Key: 'orders/1.4.0.zip',
      });
      expect(s3).toHaveReceivedCommandWith(GetObjectCommand, {
        Bucket: 'checkout-artifacts',
        Key: 'orders/1.4.0.zip',
      });
      const input = lambda.commandCalls(CreateFunctionCommand)[0].args[0].input;
      expect(input.Code).toEqual({ ZipFile: ZIP });
      expect(input.Code).not.toHaveProperty('S3Bucket');
      expect(input.Code).not.toHaveProperty('S3Key');
      // The code source is still the object's bucket and key.
      expect(input.Tags).toEqual(OWN_TAGS);
      expect(result.conditions).toContainEqual({
        type: 'CodeDeployed',
        status: 'True',
        reason: 'Applied',
        message: 'The code comes from s3://checkout-artifacts/orders/1.4.0.zip',
      });
    });

    it('updates the code with the bytes of the new object, then records its source', async () => {
      givenFunction();
      givenObject(ZIP);

      await uploading().apply(
        resource({ spec: { ...SPEC, codeS3Key: 'orders/1.5.0.zip' } }),
      );

      expect(s3).toHaveReceivedCommandWith(GetObjectCommand, {
        Bucket: 'checkout-artifacts',
        Key: 'orders/1.5.0.zip',
      });
      expect(
        lambda.commandCalls(UpdateFunctionCodeCommand)[0].args[0].input,
      ).toEqual({ FunctionName: FUNCTION, ZipFile: ZIP });
      expect(lambda.commandCalls(TagResourceCommand)[0].args[0].input).toEqual({
        Resource: ARN,
        Tags: { 'paasport.io/code-source': CODE_1_5 },
      });
    });

    it('reads nothing from S3 when the code source has not changed', async () => {
      givenFunction();

      const result = await uploading().apply(resource());

      expect(s3.calls()).toHaveLength(0);
      expectNoMutation();
      expect(result.state).toBe('ready');
    });

    it('refuses an object larger than the upload limit before reading it, naming both', async () => {
      lambda.on(GetFunctionCommand).rejects(notFound());
      givenObject(ZIP, LAMBDA_MAX_UPLOAD_BYTES + 1);

      const applied = uploading().apply(resource());

      await expect(applied).rejects.toThrow(InputError);
      await expect(applied).rejects.toThrow(
        `The code of Lambda function ${FUNCTION} cannot be uploaded: s3://checkout-artifacts/orders/1.4.0.zip is 52428801 bytes, more than Lambda's limit of 52428800 bytes (50 MB) for code uploaded directly`,
      );
      expect(s3).not.toHaveReceivedCommand(GetObjectCommand);
      expectNoMutation();
    });

    it('accepts an object of exactly the limit', async () => {
      lambda.on(GetFunctionCommand).rejects(notFound());
      lambda.on(CreateFunctionCommand).resolves(configuration());
      givenObject(ZIP, LAMBDA_MAX_UPLOAD_BYTES);

      await uploading().apply(resource());

      expect(lambda).toHaveReceivedCommand(CreateFunctionCommand);
    });

    it('refuses content larger than the limit even when HeadObject said otherwise', async () => {
      lambda.on(GetFunctionCommand).rejects(notFound());
      givenObject(new Uint8Array(LAMBDA_MAX_UPLOAD_BYTES + 1), 10);

      await expect(uploading().apply(resource())).rejects.toThrow(
        "more than Lambda's limit of 52428800 bytes",
      );
      expectNoMutation();
    });

    it('says which object is missing, and creates nothing', async () => {
      lambda.on(GetFunctionCommand).rejects(notFound());
      s3.on(HeadObjectCommand).rejects(
        new NotFound({ $metadata: { httpStatusCode: 404 }, message: '' }),
      );

      const applied = uploading().apply(resource());

      await expect(applied).rejects.toThrow(NotFoundError);
      await expect(applied).rejects.toThrow(
        `The code of Lambda function ${FUNCTION} cannot be uploaded: s3://checkout-artifacts/orders/1.4.0.zip does not exist`,
      );
      expect(s3).not.toHaveReceivedCommand(GetObjectCommand);
      expectNoMutation();
    });

    it('forwards other S3 errors with the object', async () => {
      lambda.on(GetFunctionCommand).rejects(notFound());
      s3.on(HeadObjectCommand).rejects(
        Object.assign(new Error('Access Denied'), {
          name: 'AccessDenied',
          $metadata: { httpStatusCode: 403 },
        }),
      );

      await expect(uploading().apply(resource())).rejects.toThrow(
        `Could not look up the code of Lambda function ${FUNCTION} at s3://checkout-artifacts/orders/1.4.0.zip`,
      );
      expectNoMutation();
    });

    it('needs an S3 client', () => {
      expect(
        () =>
          new LambdaFunctionProvider({
            clientFor: singleAccount({ client, region: 'eu-west-1' }),
            codeDelivery: 'upload',
          }),
      ).toThrow("codeDelivery 'upload' needs s3ClientFor");
    });

    it('leaves s3-reference mode to name the object, reading nothing from S3', async () => {
      lambda.on(GetFunctionCommand).rejects(notFound());
      lambda.on(CreateFunctionCommand).resolves(configuration());

      await new LambdaFunctionProvider({
        clientFor: singleAccount({ client, region: 'eu-west-1' }),
        executionRoleArn: ROLE,
        allowSharedExecutionRole: true,
        codeBuckets: CODE_BUCKETS,
        codeDelivery: 's3-reference',
        s3ClientFor: singleAccount({ client: s3Client, region: 'eu-west-1' }),
      }).apply(resource());

      expect(
        lambda.commandCalls(CreateFunctionCommand)[0].args[0].input.Code,
      ).toEqual({
        S3Bucket: 'checkout-artifacts',
        S3Key: 'orders/1.4.0.zip',
      });
      expect(s3.calls()).toHaveLength(0);
    });
  });
});
