import { mkdir } from 'fs/promises';
import {
  createServer as createHttpServer,
  RequestListener,
  Server,
} from 'http';
import { createServer as createNetServer, Server as NetServer } from 'net';
import { join } from 'path';
import { AwsEmulatorsConfig, EmulatedService } from './awsEmulatorsConfig';

const HOST = '127.0.0.1';

const EMULATOR_NAMES: Record<EmulatedService, string> = {
  s3: 'S3 emulator (s3rver)',
  dynamodb: 'DynamoDB emulator (dynalite)',
};

/** Emulators listening on loopback. */
export interface RunningAwsEmulators {
  /** The endpoint URL of each started emulator. */
  endpoints: Partial<Record<EmulatedService, string>>;
  stop(): Promise<void>;
}

/**
 * Starts the configured emulators on 127.0.0.1 with their data under `config.directory`.
 * Fails, with nothing left running, when a port is taken.
 */
export async function startAwsEmulators(
  config: AwsEmulatorsConfig,
): Promise<RunningAwsEmulators> {
  const services = (['s3', 'dynamodb'] as const).filter(
    service => config.ports[service] !== undefined,
  );
  // Checked before anything starts: dynalite opens its database before it listens and
  // keeps it open when listening fails.
  for (const service of services) {
    await ensurePortFree(service, config.ports[service]!);
  }

  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    await Promise.all(stops.map(stop => stop()));
  };
  try {
    for (const service of services) {
      const port = config.ports[service]!;
      const directory = join(config.directory, service);
      await mkdir(directory, { recursive: true });
      stops.push(
        service === 's3'
          ? await startS3rver(port, directory)
          : await startDynalite(port, directory),
      );
    }
  } catch (error) {
    await stopAll();
    throw error;
  }

  return {
    endpoints: Object.fromEntries(
      services.map(service => [
        service,
        `http://${HOST}:${config.ports[service]}`,
      ]),
    ),
    stop: stopAll,
  };
}

async function startS3rver(port: number, directory: string) {
  // s3rver ships no types, and is loaded only when an emulator is configured.
  const S3rver: new (options: { silent: boolean; directory: string }) => {
    callback(): RequestListener;
  } = require('s3rver');
  // s3rver is a Koa app; its own run() lets a taken port crash the process, so it is
  // served from a server of ours.
  const app = new S3rver({ silent: true, directory });
  const server = createHttpServer(app.callback());
  await listen(server, 's3', port);
  return () => closeServer(server);
}

async function startDynalite(port: number, directory: string) {
  // dynalite ships no types, and is loaded only when an emulator is configured.
  const dynalite: (options: { path: string }) => Server = require('dynalite');
  const server = dynalite({ path: directory });
  await listen(server, 'dynamodb', port);
  // dynalite's close() also closes its database, once requests in flight are done.
  return () => closeServer(server);
}

async function ensurePortFree(service: EmulatedService, port: number) {
  const probe = createNetServer();
  await listen(probe, service, port);
  await closeServer(probe);
}

function listen(
  server: NetServer,
  service: EmulatedService,
  port: number,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(listenError(service, port, error));
    server.once('error', onError);
    server.listen(port, HOST, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

function closeServer(server: NetServer): Promise<void> {
  return new Promise((resolve, reject) =>
    server.close(error => (error ? reject(error) : resolve())),
  );
}

function listenError(service: EmulatedService, port: number, error: unknown) {
  const key = `paas.aws.emulators.${service}.port`;
  const code = (error as NodeJS.ErrnoException)?.code;
  const reason =
    code === 'EADDRINUSE'
      ? `port ${port} on ${HOST} is already in use; stop what listens there or set another port in ${key} (and in paas.aws.endpoints.${service})`
      : `cannot listen on ${HOST}:${port} (${key}): ${String(error)}`;
  return new Error(`Cannot start the ${EMULATOR_NAMES[service]}: ${reason}`, {
    cause: error,
  });
}
