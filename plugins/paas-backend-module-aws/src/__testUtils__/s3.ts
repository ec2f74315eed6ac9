import {
  ListBucketsCommand,
  S3Client,
  S3ClientConfig,
} from '@aws-sdk/client-s3';
import { mkdtemp, rm } from 'fs/promises';
import { tmpdir } from 'os';
import { join } from 'path';
import { Readable } from 'stream';
import S3rver from 's3rver';

/** s3rver accepts any signature made with these. */
export const S3RVER_CREDENTIALS = {
  accessKeyId: 'S3RVER',
  secretAccessKey: 'S3RVER',
};

export interface RunningS3rver {
  endpoint: string;
  stop(): Promise<void>;
}

/** Starts s3rver on a random loopback port over a fresh temporary directory. */
export async function startS3rver(): Promise<RunningS3rver> {
  const directory = await mkdtemp(join(tmpdir(), 'paasport-s3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
  });
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    async stop() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

export async function bucketNames(client: S3Client): Promise<string[]> {
  const { Buckets } = await client.send(new ListBucketsCommand({}));
  return (Buckets ?? []).map(bucket => bucket.Name ?? '');
}

interface OutgoingRequest {
  method: string;
  path: string;
  query?: Record<string, unknown>;
}

/**
 * A request handler that answers 503 SlowDown to the requests `throttle` picks and sends
 * the rest on with the client's own handler, so the SDK's real retry logic is exercised.
 */
export function throttlingRequestHandler(
  config: S3ClientConfig,
  throttle: (request: OutgoingRequest) => boolean,
): S3ClientConfig['requestHandler'] {
  const inner = new S3Client(config).config.requestHandler;
  const handler = {
    handle(request: OutgoingRequest, options?: unknown) {
      if (throttle(request)) {
        return Promise.resolve({
          response: {
            statusCode: 503,
            headers: { 'content-type': 'application/xml' },
            body: Readable.from([
              Buffer.from(
                '<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>',
              ),
            ]),
          },
        });
      }
      return inner.handle(request as any, options as any);
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs() {
      return {};
    },
    destroy() {
      inner.destroy?.();
    },
  };
  return handler as unknown as S3ClientConfig['requestHandler'];
}

/** True for a CreateBucket request in path style. */
export function isCreateBucket(bucket: string) {
  return (request: OutgoingRequest) =>
    request.method === 'PUT' &&
    request.path.replace(/\/$/, '') === `/${bucket}` &&
    Object.keys(request.query ?? {}).length === 0;
}
