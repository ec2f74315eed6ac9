import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  readAwsEmulatorsConfig,
  servicesNotPointedAtEmulators,
} from './awsEmulatorsConfig';
import { startAwsEmulators } from './startAwsEmulators';
import { createMotoLambdaRole, startMotoServer } from './startMotoServer';

/**
 * Starts the AWS emulators of `paas.aws.emulators` on loopback, and stops them on shutdown.
 * A module of the `paas` plugin because modules are initialized before their plugin: the
 * emulators listen before the reconciler can call a provider.
 */
export const awsEmulatorsModule = createBackendModule({
  pluginId: 'paas',
  moduleId: 'aws-emulators',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
      },
      async init({ config, logger, lifecycle }) {
        const emulatorsConfig = readAwsEmulatorsConfig(config);
        if (!emulatorsConfig) {
          return;
        }
        const startedAt = Date.now();
        const emulators = await startAwsEmulators(emulatorsConfig);
        lifecycle.addShutdownHook(() => emulators.stop());

        const listening = Object.entries(emulators.endpoints)
          .map(([service, endpoint]) => `${service} on ${endpoint}`)
          .join(', ');
        logger.info(
          `AWS emulators up in ${
            Date.now() - startedAt
          } ms: ${listening}; data in ${emulatorsConfig.directory}`,
        );
        const moto = emulatorsConfig.moto;
        if (moto) {
          const motoStartedAt = Date.now();
          const server = await startMotoServer(moto.command, moto.port);
          if (server) {
            lifecycle.addShutdownHook(() => server.stop());
            const roleArn = config.getOptionalString(
              'paas.aws.lambda.executionRoleArn',
            );
            if (roleArn) {
              await createMotoLambdaRole(
                server.endpoint,
                roleArn.slice(roleArn.lastIndexOf('/') + 1),
              );
            }
            logger.info(
              `moto_server up in ${Date.now() - motoStartedAt} ms on ${
                server.endpoint
              } for SQS, Lambda and RDS; it keeps nothing across restarts`,
            );
          } else {
            logger.warn(
              `${moto.command} is not installed (pip install 'moto[server]'); SQS, Lambda and RDS resources will fail with a connection error on their resource`,
            );
          }
        }
        for (const { service, endpoint } of servicesNotPointedAtEmulators(
          config,
          emulatorsConfig,
        )) {
          logger.warn(
            `paas.aws.endpoints.${service} is ${
              endpoint ?? 'unset'
            }, not the ${service} emulator at ${
              emulators.endpoints[service]
            }: aws resources of ${service} do not go to the emulator`,
          );
        }
      },
    });
  },
});
