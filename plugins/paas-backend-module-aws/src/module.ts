import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { paasProvidersExtensionPoint } from '@paasport/plugin-paas-node';
import { AwsAccountClients } from './accountClients';
import { AWS_SERVICES, endpointFor, readAwsProviderOptions } from './clients';
import { DynamoDbTableProvider } from './dynamodb';
import { LambdaFunctionProvider } from './lambda';
import { RdsInstanceProvider } from './rds';
import { S3BucketProvider, S3PrefixProvider } from './s3';
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
        const accounts = new AwsAccountClients(
          options,
          DefaultAwsCredentialsManager.fromConfig(config),
        );
        lifecycle.addShutdownHook(() => accounts.destroy());
        const { region } = options;

        providers.addProvider(
          new S3BucketProvider({
            clientFor: organization => accounts.clientFor('s3', organization),
            assumeOwnershipWhenTagsUnreadable:
              options.s3?.assumeOwnershipWhenTagsUnreadable,
            logger,
          }),
          new S3PrefixProvider({
            // Shared buckets are the platform team's, in its own account.
            clientFor: () => accounts.platformClient('s3'),
            sharedBuckets: options.sharedBuckets ?? [],
            teamRoles: options.teamRoles ?? {},
            logger,
          }),
          new DynamoDbTableProvider({
            clientFor: organization =>
              accounts.clientFor('dynamodb', organization),
            backupBeforeDelete: options.dynamodb?.backupBeforeDelete,
            logger,
          }),
          new SqsQueueProvider({
            clientFor: organization => accounts.clientFor('sqs', organization),
            logger,
          }),
          new LambdaFunctionProvider({
            clientFor: organization =>
              accounts.clientFor('lambda', organization),
            executionRoleArn: options.lambda?.executionRoleArn,
            organizationExecutionRoleArns: options.lambdaExecutionRoleArns,
            allowSharedExecutionRole: options.lambda?.allowSharedExecutionRole,
            codeBuckets: options.lambda?.codeBuckets,
            codeDelivery: options.lambda?.codeDelivery,
            // In upload mode the code is read with the S3 providers' clients.
            s3ClientFor: organization => accounts.clientFor('s3', organization),
            logger,
          }),
          new RdsInstanceProvider({
            clientFor: organization => accounts.clientFor('rds', organization),
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
        const own = Object.entries(options.organizations ?? {});
        if (own.length > 0) {
          logger.info(
            `AWS providers use accounts of their own for organizations ${own
              .map(
                ([name, account]) =>
                  `${name} (${account.accountId}, ${account.region ?? region})`,
              )
              .join(', ')}`,
          );
        }
        if (options.sharedBuckets?.length) {
          logger.info(
            `AWS providers share the S3 buckets ${options.sharedBuckets
              .map(bucket => bucket.name)
              .join(', ')} for aws:s3-prefix resources`,
          );
        }
        if (options.s3?.assumeOwnershipWhenTagsUnreadable) {
          logger.warn(
            'paas.aws.s3.assumeOwnershipWhenTagsUnreadable is set: where the S3 endpoint cannot read bucket tags, an existing bucket is taken as the resource of the same name',
          );
        }
        if (options.lambda?.codeDelivery === 'upload') {
          logger.info(
            'aws:lambda-function code is read from S3 by Paasport and uploaded to Lambda (paas.aws.lambda.codeDelivery: upload)',
          );
        }
        if (
          !options.lambdaExecutionRoleArns &&
          !(
            options.lambda?.executionRoleArn &&
            options.lambda.allowSharedExecutionRole
          )
        ) {
          logger.warn(
            'No organization has paas.aws.organizations.<org>.lambdaExecutionRoleArn and no shared role is allowed (paas.aws.lambda.executionRoleArn with allowSharedExecutionRole): aws:lambda-function resources cannot be applied',
          );
        }
        if (!options.lambda?.codeBuckets?.length) {
          logger.warn(
            'paas.aws.lambda.codeBuckets is not set: aws:lambda-function resources are refused until it names the buckets code may come from',
          );
        }
      },
    });
  },
});
