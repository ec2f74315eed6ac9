import { ConfigReader } from '@backstage/config';
import { resolve } from 'path';
import {
  readAwsEmulatorsConfig,
  servicesNotPointedAtEmulators,
} from './awsEmulatorsConfig';

function config(aws: object) {
  return new ConfigReader({ paas: { aws } });
}

describe('readAwsEmulatorsConfig', () => {
  it('is undefined without paas.aws.emulators', () => {
    expect(readAwsEmulatorsConfig(config({ region: 'us-east-1' }))).toBe(
      undefined,
    );
  });

  it('resolves the directory against the working directory', () => {
    expect(
      readAwsEmulatorsConfig(
        config({
          emulators: { directory: '../../data/aws', s3: { port: 4568 } },
        }),
      ),
    ).toEqual({
      directory: resolve('../../data/aws'),
      ports: { s3: 4568 },
      s3UsesMotoWhenInstalled: false,
    });
  });

  it('reads whether S3 should be served by moto when it is installed', () => {
    expect(
      readAwsEmulatorsConfig(
        config({
          emulators: {
            directory: 'd',
            s3: { port: 4568, useMotoWhenInstalled: true },
          },
        }),
      )?.s3UsesMotoWhenInstalled,
    ).toBe(true);
  });

  it.each([
    [
      { directory: 'd', s3: { port: 70000 } },
      'paas.aws.emulators.s3.port must be a port number from 1 to 65535, got 70000',
    ],
    [
      { directory: 'd', dynamodb: {} },
      'paas.aws.emulators.dynamodb.port is required',
    ],
    [
      { directory: 'd' },
      'paas.aws.emulators must configure s3, dynamodb or both',
    ],
    [
      { directory: 'd', s3: { port: 4567 }, dynamodb: { port: 4567 } },
      'paas.aws.emulators.s3.port and paas.aws.emulators.dynamodb.port must differ, both are 4567',
    ],
    [
      { s3: { port: 4568 } },
      "Missing required config value at 'paas.aws.emulators.directory'",
    ],
  ])('rejects %j', (emulators, message) => {
    expect(() => readAwsEmulatorsConfig(config({ emulators }))).toThrow(
      message,
    );
  });
});

describe('servicesNotPointedAtEmulators', () => {
  const emulators = {
    directory: '/d',
    ports: { s3: 4568, dynamodb: 4567 },
    s3UsesMotoWhenInstalled: false,
  };

  it('accepts per-service and shared loopback endpoints', () => {
    expect(
      servicesNotPointedAtEmulators(
        config({
          endpoint: 'http://localhost:4567',
          endpoints: { s3: 'http://127.0.0.1:4568' },
        }),
        emulators,
      ),
    ).toEqual([]);
  });

  it('names the services whose endpoint is elsewhere or unset', () => {
    expect(
      servicesNotPointedAtEmulators(
        config({ endpoints: { s3: 'http://127.0.0.1:9000' } }),
        emulators,
      ),
    ).toEqual([
      { service: 's3', endpoint: 'http://127.0.0.1:9000' },
      { service: 'dynamodb', endpoint: undefined },
    ]);
  });
});
