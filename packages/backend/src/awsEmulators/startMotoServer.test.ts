import { chmod, mkdtemp, rm, writeFile } from 'fs/promises';
import { AddressInfo, createServer } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import { createMotoLambdaRole, startMotoServer } from './startMotoServer';

jest.setTimeout(30_000);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise(resolve => server.close(resolve));
  return port;
}

// Stands in for moto_server: the same arguments, and the endpoint the start-up waits for.
const FAKE_MOTO = `#!/usr/bin/env node
const port = Number(process.argv[process.argv.indexOf('-p') + 1]);
require('http')
  .createServer((req, res) => {
    if (req.method === 'POST') {
      let body = '';
      req.on('data', chunk => (body += chunk));
      req.on('end', () => {
        const form = new URLSearchParams(body);
        const iam = /\\/iam\\/aws4_request/.test(req.headers.authorization || '');
        res.statusCode = iam && form.get('Action') === 'CreateRole' ? 200 : 400;
        res.end(form.get('RoleName') + ' ' + form.get('AssumeRolePolicyDocument'));
      });
      return;
    }
    res.statusCode = req.url === '/moto-api/' ? 200 : 404;
    res.end('fake moto');
  })
  .listen(port, process.argv[process.argv.indexOf('-H') + 1]);
`;

describe('startMotoServer', () => {
  let directory: string;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'paasport-moto-'));
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('starts the command on loopback, waits until it answers, and stops it', async () => {
    const command = join(directory, 'moto_server');
    await writeFile(command, FAKE_MOTO);
    await chmod(command, 0o755);
    const port = await freePort();

    const server = await startMotoServer(command, port);

    expect(server?.endpoint).toBe(`http://127.0.0.1:${port}`);
    expect(await (await fetch(`${server!.endpoint}/moto-api/`)).text()).toBe(
      'fake moto',
    );
    await server!.stop();
    await expect(fetch(`${server!.endpoint}/moto-api/`)).rejects.toThrow();
  });

  it('creates the Lambda execution role through the IAM query API', async () => {
    const command = join(directory, 'moto_server');
    await writeFile(command, FAKE_MOTO);
    await chmod(command, 0o755);
    const server = (await startMotoServer(command, await freePort()))!;
    try {
      await expect(
        createMotoLambdaRole(server.endpoint, 'paasport-lambda'),
      ).resolves.toBeUndefined();
    } finally {
      await server.stop();
    }
  });

  it('reports a command that is not installed as absent', async () => {
    expect(
      await startMotoServer(
        join(directory, 'no-such-command'),
        await freePort(),
      ),
    ).toBeUndefined();
  });

  it('fails with what it said when the command exits instead of serving', async () => {
    const command = join(directory, 'broken');
    await writeFile(
      command,
      '#!/bin/sh\necho "moto: address already in use" >&2\nexit 1\n',
    );
    await chmod(command, 0o755);

    await expect(startMotoServer(command, await freePort())).rejects.toThrow(
      /did not answer on 127\.0\.0\.1:\d+ \(paas\.aws\.emulators\.moto\.port\): it exited; it said: moto: address already in use/,
    );
  });
});
