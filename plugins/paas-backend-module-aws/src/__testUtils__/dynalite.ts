import {
  DynamoDBClient,
  DynamoDBClientConfig,
  ListTablesCommand,
} from '@aws-sdk/client-dynamodb';
import { AddressInfo } from 'net';
import { Readable } from 'stream';
import dynalite from 'dynalite';

/** dynalite accepts any signature; these only have to be present. */
export const DYNALITE_CREDENTIALS = {
  accessKeyId: 'DYNALITE',
  secretAccessKey: 'DYNALITE',
};

/** How long dynalite keeps new tables CREATING and deleted ones DELETING. */
export const DYNALITE_TABLE_TRANSITION_MS = 50;

export interface RunningDynalite {
  endpoint: string;
  stop(): Promise<void>;
}

/** Starts an in-memory dynalite on a random loopback port. */
export async function startDynalite(): Promise<RunningDynalite> {
  const server = dynalite({
    createTableMs: DYNALITE_TABLE_TRANSITION_MS,
    deleteTableMs: DYNALITE_TABLE_TRANSITION_MS,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve, reject) =>
        server.close(error => (error ? reject(error) : resolve())),
      ),
  };
}

export async function tableNames(client: DynamoDBClient): Promise<string[]> {
  const { TableNames } = await client.send(new ListTablesCommand({}));
  return TableNames ?? [];
}

/** Waits until the table status dynalite reports has moved on from a transition. */
export function afterTableTransition(): Promise<void> {
  return new Promise(resolve =>
    setTimeout(resolve, DYNALITE_TABLE_TRANSITION_MS * 3),
  );
}

interface OutgoingRequest {
  headers: Record<string, string>;
}

/** True for a request of one DynamoDB operation, such as `CreateTable`. */
export function isOperation(operation: string) {
  return (request: OutgoingRequest) =>
    request.headers['x-amz-target'] === `DynamoDB_20120810.${operation}`;
}

/**
 * A request handler that answers ThrottlingException to the requests `throttle` picks and
 * sends the rest on with the client's own handler, so the SDK's real retry logic runs.
 */
export function throttlingRequestHandler(
  config: DynamoDBClientConfig,
  throttle: (request: OutgoingRequest) => boolean,
): DynamoDBClientConfig['requestHandler'] {
  const inner = new DynamoDBClient(config).config.requestHandler;
  const handler = {
    handle(request: OutgoingRequest, options?: unknown) {
      if (throttle(request)) {
        return Promise.resolve({
          response: {
            statusCode: 400,
            headers: { 'content-type': 'application/x-amz-json-1.0' },
            body: Readable.from([
              Buffer.from(
                JSON.stringify({
                  __type:
                    'com.amazonaws.dynamodb.v20120810#ThrottlingException',
                  message: 'Rate of requests exceeds the allowed throughput.',
                }),
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
  return handler as unknown as DynamoDBClientConfig['requestHandler'];
}
