import {
  CreateTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import {
  CreateBucketCommand,
  ListBucketsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { chmod, mkdtemp, rm, writeFile } from 'fs/promises';
import { AddressInfo, connect, createServer, Server } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import { awsEmulatorsModule } from './awsEmulatorsModule';

jest.setTimeout(60_000);

// Modules start only with their plugin; this stands in for the paas backend plugin.
const paasPlugin = createBackendPlugin({
  pluginId: 'paas',
  register(reg) {
    reg.registerInit({ deps: {}, async init() {} });
  },
});

// Stands in for moto_server: the same arguments, and the endpoint the start-up waits for.
const FAKE_MOTO = `#!/usr/bin/env node
const port = Number(process.argv[process.argv.indexOf('-p') + 1]);
require('http')
  .createServer((req, res) => {
    res.statusCode = req.url === '/moto-api/' ? 200 : 404;
    res.end('fake moto on ' + port);
  })
  .listen(port, process.argv[process.argv.indexOf('-H') + 1]);
`;

// s3rver accepts only this key pair; dynalite accepts any.
const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

describe('awsEmulatorsModule', () => {
  let directory: string;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'paasport-aws-emulators-'));
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  function start(
    ports: { s3: number; dynamodb: number },
    extra: { s3?: object; moto?: object } = {},
  ) {
    return startTestBackend({
      features: [
        paasPlugin,
        awsEmulatorsModule,
        mockServices.rootConfig.factory({
          data: {
            paas: {
              aws: {
                endpoints: {
                  s3: `http://127.0.0.1:${ports.s3}`,
                  dynamodb: `http://127.0.0.1:${ports.dynamodb}`,
                },
                emulators: {
                  directory,
                  s3: { port: ports.s3, ...extra.s3 },
                  dynamodb: { port: ports.dynamodb },
                  ...(extra.moto ? { moto: extra.moto } : {}),
                },
              },
            },
          },
        }),
      ],
    });
  }

  function clients(ports: { s3: number; dynamodb: number }) {
    const options = { region: 'us-east-1', credentials, maxAttempts: 1 };
    return {
      s3: new S3Client({
        ...options,
        endpoint: `http://127.0.0.1:${ports.s3}`,
        forcePathStyle: true,
      }),
      dynamodb: new DynamoDBClient({
        ...options,
        endpoint: `http://127.0.0.1:${ports.dynamodb}`,
      }),
    };
  }

  async function contents(ports: { s3: number; dynamodb: number }) {
    const { s3, dynamodb } = clients(ports);
    try {
      const { Buckets } = await s3.send(new ListBucketsCommand({}));
      const { TableNames } = await dynamodb.send(new ListTablesCommand({}));
      return { buckets: (Buckets ?? []).map(b => b.Name), tables: TableNames };
    } finally {
      s3.destroy();
      dynamodb.destroy();
    }
  }

  it('serves S3 and DynamoDB on loopback, keeps their data in the directory and stops on shutdown', async () => {
    const [s3Port, dynamodbPort] = await freePorts(2);
    const ports = { s3: s3Port, dynamodb: dynamodbPort };

    const backend = await start(ports);
    const { s3, dynamodb } = clients(ports);
    await s3.send(new CreateBucketCommand({ Bucket: 'orders-archive' }));
    await dynamodb.send(
      new CreateTableCommand({
        TableName: 'orders',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    // Stopping dynalite while a table is still CREATING leaves its timer behind.
    await waitUntilTableExists(
      { client: dynamodb, maxWaitTime: 10, minDelay: 0.1, maxDelay: 0.2 },
      { TableName: 'orders' },
    );
    s3.destroy();
    dynamodb.destroy();
    expect(await contents(ports)).toEqual({
      buckets: ['orders-archive'],
      tables: ['orders'],
    });

    await backend.stop();
    await expect(connectTo(s3Port)).rejects.toThrow(/ECONNREFUSED/);
    await expect(connectTo(dynamodbPort)).rejects.toThrow(/ECONNREFUSED/);

    const restarted = await start(ports);
    expect(await contents(ports)).toEqual({
      buckets: ['orders-archive'],
      tables: ['orders'],
    });
    await restarted.stop();
  });

  it('serves S3 with moto when asked to and moto is installed, so S3 settings can be verified', async () => {
    const [s3Port, dynamodbPort, motoPort] = await freePorts(3);
    const command = join(directory, 'moto_server');
    await writeFile(command, FAKE_MOTO);
    await chmod(command, 0o755);

    const backend = await start(
      { s3: s3Port, dynamodb: dynamodbPort },
      { s3: { useMotoWhenInstalled: true }, moto: { port: motoPort, command } },
    );
    try {
      const s3 = await fetch(`http://127.0.0.1:${s3Port}/moto-api/`);
      expect(await s3.text()).toBe(`fake moto on ${s3Port}`);
    } finally {
      await backend.stop();
    }
    await expect(connectTo(s3Port)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('falls back to s3rver when moto is not installed', async () => {
    const [s3Port, dynamodbPort, motoPort] = await freePorts(3);
    const ports = { s3: s3Port, dynamodb: dynamodbPort };
    const backend = await start(ports, {
      s3: { useMotoWhenInstalled: true },
      moto: { port: motoPort, command: join(directory, 'not-installed') },
    });
    try {
      expect(await contents(ports)).toEqual({ buckets: [], tables: [] });
    } finally {
      await backend.stop();
    }
  });

  it('refuses to start when a port is taken, naming the port and its key, and leaves nothing running', async () => {
    const [s3Port, dynamodbPort] = await freePorts(2);
    const squatter = await listenOn(dynamodbPort);
    try {
      await expect(
        start({ s3: s3Port, dynamodb: dynamodbPort }),
      ).rejects.toThrow(
        `Cannot start the DynamoDB emulator (dynalite): port ${dynamodbPort} on 127.0.0.1 is already in use; stop what listens there or set another port in paas.aws.emulators.dynamodb.port`,
      );
      await expect(connectTo(s3Port)).rejects.toThrow(/ECONNREFUSED/);
    } finally {
      await new Promise(resolve => squatter.close(resolve));
    }
  });
});

function listenOn(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

/** Ports that were free a moment ago, distinct from one another. */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => listenOn(0)),
  );
  const ports = servers.map(server => (server.address() as AddressInfo).port);
  await Promise.all(
    servers.map(server => new Promise(resolve => server.close(resolve))),
  );
  return ports;
}

function connectTo(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', reject);
  });
}
