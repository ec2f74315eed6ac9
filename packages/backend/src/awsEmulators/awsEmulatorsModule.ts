import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  AwsEmulatorsConfig,
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
        const s3OnMoto = await startS3OnMoto(emulatorsConfig);
        if (s3OnMoto) {
          lifecycle.addShutdownHook(() => s3OnMoto.stop());
          logger.info(
            `S3 is served by moto_server on ${s3OnMoto.endpoint}, which implements public access blocks, encryption, tags and bucket policies, so buckets show them verified; it keeps nothing across restarts`,
          );
        }
        const emulators = await startAwsEmulators(
          s3OnMoto
            ? {
                ...emulatorsConfig,
                ports: { ...emulatorsConfig.ports, s3: undefined },
              }
            : emulatorsConfig,
        );
        lifecycle.addShutdownHook(() => emulators.stop());
        if (s3OnMoto) {
          emulators.endpoints.s3 = s3OnMoto.endpoint;
        }

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

/**
 * moto's server on the S3 port, when `s3.useMotoWhenInstalled` asks for it and moto is
 * installed; undefined otherwise, and s3rver serves S3.
 */
async function startS3OnMoto(config: AwsEmulatorsConfig) {
  const port = config.ports.s3;
  if (port === undefined || !config.s3UsesMotoWhenInstalled) {
    return undefined;
  }
  return startMotoServer(config.moto?.command ?? 'moto_server', port);
}
