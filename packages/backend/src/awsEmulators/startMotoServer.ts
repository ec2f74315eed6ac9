import { ChildProcess, spawn } from 'child_process';

const HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 20_000;

/** moto's server, running as a child process. */
export interface RunningMotoServer {
  endpoint: string;
  stop(): Promise<void>;
}

/**
 * Starts `command` (moto's `moto_server`, from `pip install 'moto[server]'`) on 127.0.0.1 and
 * waits until it answers. Undefined when the command is not installed: moto is optional, and
 * without it the kinds it stands in for fail on their resources with a connection error.
 */
export async function startMotoServer(
  command: string,
  port: number,
): Promise<RunningMotoServer | undefined> {
  const child = spawn(command, ['-H', HOST, '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', chunk => {
    stderr = `${stderr}${chunk}`.slice(-2000);
  });
  const spawnFailure = new Promise<{ error: NodeJS.ErrnoException }>(resolve =>
    child.once('error', error => resolve({ error })),
  );
  const started = await Promise.race([
    spawnFailure,
    waitUntilAnswering(port, child),
  ]);
  if (typeof started === 'object') {
    if (started.error.code === 'ENOENT') {
      return undefined;
    }
    throw new Error(`Cannot run ${command}: ${started.error.message}`);
  }
  if (started !== 'ready') {
    await stop(child);
    throw new Error(
      `${command} did not answer on ${HOST}:${port} (paas.aws.emulators.moto.port): ${
        started === 'exited' ? 'it exited' : 'it timed out'
      }${stderr ? `; it said: ${stderr.trim().split('\n').pop()}` : ''}`,
    );
  }
  return { endpoint: `http://${HOST}:${port}`, stop: () => stop(child) };
}

async function waitUntilAnswering(
  port: number,
  child: ChildProcess,
): Promise<'ready' | 'exited' | 'timeout'> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      return 'exited';
    }
    try {
      const response = await fetch(`http://${HOST}:${port}/moto-api/`);
      if (response.ok) {
        return 'ready';
      }
    } catch {
      // not listening yet
    }
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  return 'timeout';
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve();
  }
  return new Promise(resolve => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/**
 * Creates an IAM role in moto that Lambda may assume, as the embedded config's
 * `paas.aws.lambda.executionRoleArn` names it: moto refuses functions whose role it does not
 * know. moto does not check signatures, so the request only names the service. An existing
 * role is left as it is.
 */
export async function createMotoLambdaRole(
  endpoint: string,
  roleName: string,
): Promise<void> {
  const body = new URLSearchParams({
    Action: 'CreateRole',
    Version: '2010-05-08',
    RoleName: roleName,
    AssumeRolePolicyDocument: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'lambda.amazonaws.com' },
          Action: 'sts:AssumeRole',
        },
      ],
    }),
  });
  const response = await fetch(`${endpoint}/`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Authorization:
        'AWS4-HMAC-SHA256 Credential=emulator/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=emulator',
    },
    body,
  });
  const text = await response.text();
  if (!response.ok && !text.includes('EntityAlreadyExists')) {
    throw new Error(
      `moto refused to create the IAM role ${roleName}: ${
        response.status
      } ${text.slice(0, 300)}`,
    );
  }
}
