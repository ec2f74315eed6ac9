import { Config } from '@backstage/config';
import { resolve as resolvePath } from 'path';

/** The AWS services an emulator can stand in for. */
export type EmulatedService = 's3' | 'dynamodb';

/** What `paas.aws.emulators` asks for. */
export interface AwsEmulatorsConfig {
  /** Absolute directory of the emulators' data. */
  directory: string;
  /** The loopback port of each emulator to start. */
  ports: Partial<Record<EmulatedService, number>>;
  /** moto's server for the services s3rver and dynalite do not cover, when asked for. */
  moto?: { command: string; port: number };
  /** Serve S3 with moto's server on the S3 port when it is installed, s3rver otherwise. */
  s3UsesMotoWhenInstalled: boolean;
}

const KEY = 'paas.aws.emulators';

/** Reads `paas.aws.emulators`; undefined when no emulator is configured. */
export function readAwsEmulatorsConfig(
  config: Config,
): AwsEmulatorsConfig | undefined {
  const emulators = config.getOptionalConfig(KEY);
  if (!emulators) {
    return undefined;
  }
  const ports: AwsEmulatorsConfig['ports'] = {};
  for (const service of ['s3', 'dynamodb'] as const) {
    const port = emulators.getOptionalNumber(`${service}.port`);
    if (emulators.has(service) && port === undefined) {
      throw new Error(`${KEY}.${service}.port is required`);
    }
    if (port !== undefined) {
      if (!Number.isInteger(port) || port < 1 || port > 65535) {
        throw new Error(
          `${KEY}.${service}.port must be a port number from 1 to 65535, got ${port}`,
        );
      }
      ports[service] = port;
    }
  }
  if (ports.s3 === undefined && ports.dynamodb === undefined) {
    throw new Error(`${KEY} must configure s3, dynamodb or both`);
  }
  if (ports.s3 !== undefined && ports.s3 === ports.dynamodb) {
    throw new Error(
      `${KEY}.s3.port and ${KEY}.dynamodb.port must differ, both are ${ports.s3}`,
    );
  }
  const motoPort = emulators.getOptionalNumber('moto.port');
  if (emulators.has('moto') && motoPort === undefined) {
    throw new Error(`${KEY}.moto.port is required`);
  }
  if (
    motoPort !== undefined &&
    (!Number.isInteger(motoPort) ||
      motoPort < 1 ||
      motoPort > 65535 ||
      Object.values(ports).includes(motoPort))
  ) {
    throw new Error(
      `${KEY}.moto.port must be a port number from 1 to 65535 that no other emulator uses, got ${motoPort}`,
    );
  }
  return {
    directory: resolvePath(emulators.getString('directory')),
    ports,
    s3UsesMotoWhenInstalled:
      emulators.getOptionalBoolean('s3.useMotoWhenInstalled') ?? false,
    ...(motoPort === undefined
      ? {}
      : {
          moto: {
            command:
              emulators.getOptionalString('moto.command') ?? 'moto_server',
            port: motoPort,
          },
        }),
  };
}

/**
 * The emulated services whose `paas.aws` endpoint is not their emulator, so that a typo
 * shows at start-up instead of as resources made somewhere else.
 */
export function servicesNotPointedAtEmulators(
  config: Config,
  emulators: AwsEmulatorsConfig,
): { service: EmulatedService; endpoint: string | undefined }[] {
  return (Object.keys(emulators.ports) as EmulatedService[]).flatMap(
    service => {
      const endpoint =
        config.getOptionalString(`paas.aws.endpoints.${service}`) ??
        config.getOptionalString('paas.aws.endpoint');
      return endpoint !== undefined &&
        isLoopbackPort(endpoint, emulators.ports[service]!)
        ? []
        : [{ service, endpoint }];
    },
  );
}

function isLoopbackPort(endpoint: string, port: number): boolean {
  try {
    const url = new URL(endpoint);
    return (
      ['127.0.0.1', 'localhost'].includes(url.hostname) &&
      url.port === String(port)
    );
  } catch {
    return false;
  }
}
