import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { RDSClient } from '@aws-sdk/client-rds';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { paasProvidersExtensionPoint } from '@paasport/plugin-paas-node';
import {
  AWS_SERVICES,
  awsClientConfig,
  credentialsFromManager,
  endpointFor,
  readAwsProviderOptions,
  s3ClientConfig,
} from './clients';
import { DynamoDbTableProvider } from './dynamodb';
import { LambdaFunctionProvider } from './lambda';
import { RdsInstanceProvider } from './rds';
import { S3BucketProvider } from './s3';
import { SqsQueueProvider } from './sqs';

/**
 * Adds Paasport's AWS resource providers to the `paas` plugin.
 * @public
 */
export const paasModuleAws = createBackendModule({
  pluginId: 'paas',
  moduleId: 'aws',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
        providers: paasProvidersExtensionPoint,
      },
      async init({ config, logger, lifecycle, providers }) {
        const options = readAwsProviderOptions(config);
        const credentials = credentialsFromManager(
          DefaultAwsCredentialsManager.fromConfig(config),
          options.accountId,
        );
        const { region } = options;

        const s3 = new S3Client(s3ClientConfig(options, credentials));
        const dynamodb = new DynamoDBClient(
          awsClientConfig('dynamodb', options, credentials),
        );
        const sqs = new SQSClient(awsClientConfig('sqs', options, credentials));
        const lambda = new LambdaClient(
          awsClientConfig('lambda', options, credentials),
        );
        const rds = new RDSClient(awsClientConfig('rds', options, credentials));
        for (const client of [s3, dynamodb, sqs, lambda, rds]) {
          lifecycle.addShutdownHook(() => client.destroy());
        }

        providers.addProvider(
          new S3BucketProvider({
            client: s3,
            region,
            accountId: options.accountId,
            logger,
          }),
          new DynamoDbTableProvider({ client: dynamodb, region, logger }),
          new SqsQueueProvider({ client: sqs, region, logger }),
          new LambdaFunctionProvider({
            client: lambda,
            region,
            executionRoleArn: options.lambda?.executionRoleArn,
            logger,
          }),
          new RdsInstanceProvider({
            client: rds,
            region,
            deletionProtection: options.rds?.deletionProtection ?? true,
            dbSubnetGroupName: options.rds?.dbSubnetGroupName,
            vpcSecurityGroupIds: options.rds?.vpcSecurityGroupIds,
            logger,
          }),
        );

        const custom = AWS_SERVICES.flatMap(service => {
          const endpoint = endpointFor(options, service);
          return endpoint ? [`${service} ${new URL(endpoint).origin}`] : [];
        });
        logger.info(
          `AWS providers use region ${region}${
            custom.length > 0 ? ` through endpoints ${custom.join(', ')}` : ''
          }, at most ${options.maxAttempts} attempts per call`,
        );
        if (!options.lambda?.executionRoleArn) {
          logger.warn(
            'paas.aws.lambda.executionRoleArn is not set: aws:lambda-function resources cannot be created',
          );
        }
      },
    });
  },
});
