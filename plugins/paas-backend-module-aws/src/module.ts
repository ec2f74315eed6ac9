import { S3Client } from '@aws-sdk/client-s3';
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { paasProvidersExtensionPoint } from '@paasport/plugin-paas-node';
import {
  credentialsFromManager,
  readAwsProviderOptions,
  s3ClientConfig,
} from './clients';
import { S3BucketProvider } from './s3';

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

        const s3 = new S3Client(s3ClientConfig(options, credentials));
        lifecycle.addShutdownHook(() => s3.destroy());

        providers.addProvider(
          new S3BucketProvider({
            client: s3,
            region: options.region,
            accountId: options.accountId,
            logger,
          }),
        );
        logger.info(
          `AWS providers use region ${options.region}${
            options.endpoint
              ? ` through endpoint ${new URL(options.endpoint).origin}`
              : ''
          }, at most ${options.maxAttempts} attempts per call`,
        );
      },
    });
  },
});
