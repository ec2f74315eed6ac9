import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { findRepositoryRoot, readKubernetesModuleConfig } from './config';
import { useTempDirectory } from './__testUtils__/tempDirectory';

describe('readKubernetesModuleConfig', () => {
  const mockDir = useTempDirectory();

  beforeEach(() => {
    fs.mkdirSync(mockDir.resolve('packages/backend'), { recursive: true });
    fs.writeFileSync(
      mockDir.resolve('package.json'),
      JSON.stringify({ name: 'root', workspaces: ['packages/*'] }),
    );
    fs.writeFileSync(
      mockDir.resolve('packages/backend/package.json'),
      JSON.stringify({ name: 'backend' }),
    );
  });

  const read = (
    kubernetes: object | undefined,
    cwd = mockDir.resolve('packages/backend'),
  ) =>
    readKubernetesModuleConfig(
      new ConfigReader(kubernetes ? { paas: { kubernetes } } : {}),
      cwd,
    );

  it('fills in safe defaults when nothing is configured', () => {
    expect(read(undefined)).toEqual({
      delivery: 'gitops',
      gitopsDirectory: mockDir.resolve('data/gitops'),
      clusters: [],
      defaultCluster: undefined,
      podSecurityVersion: 'v1.33',
      groupPrefix: '',
      quota: {
        requestsCpu: '4',
        requestsMemory: '8Gi',
        limitsCpu: '8',
        limitsMemory: '16Gi',
        pods: 50,
        gpus: 0,
      },
      containerDefaults: {
        defaultRequest: { cpu: '100m', memory: '128Mi' },
        defaultLimit: { cpu: '500m', memory: '512Mi' },
      },
    });
  });

  it('resolves a relative GitOps directory against the repository root, from any package', () => {
    const fromBackend = read({ gitops: { directory: 'state/repo' } });
    const fromRoot = read(
      { gitops: { directory: 'state/repo' } },
      mockDir.path,
    );

    expect(fromBackend.gitopsDirectory).toBe(mockDir.resolve('state/repo'));
    expect(fromRoot.gitopsDirectory).toBe(mockDir.resolve('state/repo'));
  });

  it('keeps an absolute GitOps directory as it is', () => {
    const absolute = path.join(mockDir.path, 'elsewhere');
    expect(read({ gitops: { directory: absolute } }).gitopsDirectory).toBe(
      absolute,
    );
  });

  it('reads every setting, quantities given as numbers included', () => {
    const options = read({
      delivery: 'gitops',
      defaultCluster: 'eu-central-general',
      podSecurityVersion: 'v1.31',
      groupPrefix: 'oidc:',
      namespaceDefaults: {
        quota: {
          requestsCpu: 2,
          requestsMemory: '4Gi',
          limitsCpu: 4,
          limitsMemory: '8Gi',
          pods: 10,
          gpus: 1,
        },
        containerDefaults: {
          defaultRequest: { cpu: 0.1, memory: '64Mi' },
          defaultLimit: { cpu: 1, memory: '1Gi' },
        },
      },
    });

    expect(options).toMatchObject({
      defaultCluster: 'eu-central-general',
      podSecurityVersion: 'v1.31',
      groupPrefix: 'oidc:',
      quota: {
        requestsCpu: '2',
        requestsMemory: '4Gi',
        limitsCpu: '4',
        limitsMemory: '8Gi',
        pods: 10,
        gpus: 1,
      },
      containerDefaults: {
        defaultRequest: { cpu: '0.1', memory: '64Mi' },
        defaultLimit: { cpu: '1', memory: '1Gi' },
      },
    });
  });

  it.each([
    [
      { delivery: 'server-side-apply' },
      /paas\.kubernetes\.delivery must be 'gitops' or 'direct'/,
    ],
    [{ defaultCluster: 'EU Central' }, /paas\.kubernetes\.defaultCluster/],
    [
      { podSecurityVersion: 'latest' },
      /paas\.kubernetes\.podSecurityVersion must pin/,
    ],
    [
      { namespaceDefaults: { quota: { requestsMemory: 'lots' } } },
      /paas\.kubernetes\.namespaceDefaults\.quota\.requestsMemory/,
    ],
    [
      { namespaceDefaults: { quota: { pods: -5 } } },
      /paas\.kubernetes\.namespaceDefaults\.quota\.pods/,
    ],
    [
      {
        namespaceDefaults: {
          containerDefaults: { defaultRequest: { memory: '1Gi' } },
        },
      },
      /containerDefaults\.defaultRequest\.memory \(1Gi\) is above/,
    ],
    [
      { namespaceDefaults: { quota: { limitsCpu: { much: true } } } },
      /namespaceDefaults\.quota\.limitsCpu must be a Kubernetes quantity/,
    ],
  ])('refuses %j, naming the key', (kubernetes, message) => {
    expect(() => read(kubernetes)).toThrow(message);
  });
});

describe('readKubernetesModuleConfig: clusters of direct delivery', () => {
  const TOKEN = 'sa-token-9d1e77c4';
  // A placeholder certificate: only its PEM form is checked at start.
  const caData = Buffer.from(
    '-----BEGIN CERTIFICATE-----\nMIIBplaceholder\n-----END CERTIFICATE-----\n',
  ).toString('base64');
  const cluster = {
    name: 'eu-central-general',
    url: 'https://k8s.eu-central.example.com:6443',
    authProvider: 'serviceAccount',
    serviceAccountToken: TOKEN,
    caData,
  };

  const read = (kubernetes: object) =>
    readKubernetesModuleConfig(
      new ConfigReader({ paas: { kubernetes } }),
      os.tmpdir(),
    );

  it('reads the clusters with the field names of the Backstage Kubernetes plugin', () => {
    const options = read({
      delivery: 'direct',
      defaultCluster: 'eu-central-general',
      clusters: [
        cluster,
        {
          name: 'dev-kind',
          url: 'https://127.0.0.1:6443',
          serviceAccountToken: 'dev-token',
          skipTLSVerify: true,
        },
      ],
    });

    expect(options.delivery).toBe('direct');
    expect(options.clusters).toEqual([
      {
        name: 'eu-central-general',
        url: 'https://k8s.eu-central.example.com:6443',
        serviceAccountToken: TOKEN,
        caData,
        skipTLSVerify: false,
      },
      {
        name: 'dev-kind',
        url: 'https://127.0.0.1:6443',
        serviceAccountToken: 'dev-token',
        caData: undefined,
        skipTLSVerify: true,
      },
    ]);
  });

  it.each([
    [
      { delivery: 'direct' },
      /paas\.kubernetes\.clusters must list at least one cluster/,
    ],
    [
      { delivery: 'direct', defaultCluster: 'us-east', clusters: [cluster] },
      /paas\.kubernetes\.defaultCluster 'us-east' is not one of paas\.kubernetes\.clusters/,
    ],
    [
      { clusters: [{ ...cluster, name: 'EU Central' }] },
      /paas\.kubernetes\.clusters\[0\]\.name must be lower-case/,
    ],
    [
      { clusters: [cluster, cluster] },
      /paas\.kubernetes\.clusters\[1\]\.name 'eu-central-general' appears more than once/,
    ],
    [
      { clusters: [{ ...cluster, url: 'http://k8s.example.com' }] },
      /paas\.kubernetes\.clusters\[0\]\.url must be an https:\/\/ URL/,
    ],
    [
      { clusters: [{ ...cluster, url: 'k8s.example.com' }] },
      /paas\.kubernetes\.clusters\[0\]\.url must be an https:\/\/ URL/,
    ],
    [
      { clusters: [{ ...cluster, authProvider: 'aws' }] },
      /paas\.kubernetes\.clusters\[0\]\.authProvider must be 'serviceAccount'/,
    ],
    [
      { clusters: [{ ...cluster, serviceAccountToken: ' ' }] },
      /paas\.kubernetes\.clusters\[0\]\.serviceAccountToken is required/,
    ],
    [
      { clusters: [{ ...cluster, caData: 'bm90IGEgY2VydGlmaWNhdGU=' }] },
      /paas\.kubernetes\.clusters\[0\]\.caData must be base64-encoded PEM/,
    ],
    [
      { clusters: [{ ...cluster, skipTLSVerify: 'sometimes' }] },
      /paas\.kubernetes\.clusters\[0\]\.skipTLSVerify/,
    ],
  ])(
    'refuses %j, naming the key and never the token',
    (kubernetes, message) => {
      let error: Error | undefined;
      try {
        read(kubernetes);
      } catch (e) {
        error = e as Error;
      }
      expect(error?.message).toMatch(message);
      expect(error?.message).not.toContain(TOKEN);
    },
  );
});

describe('findRepositoryRoot', () => {
  const mockDir = useTempDirectory();

  it('falls back to the start folder outside a workspace', () => {
    fs.mkdirSync(mockDir.resolve('app'));
    fs.writeFileSync(
      mockDir.resolve('app/package.json'),
      JSON.stringify({ name: 'app' }),
    );
    // The mock directory lies in the system's temporary folder, outside any workspace.
    expect(findRepositoryRoot(mockDir.resolve('app'))).toBe(
      mockDir.resolve('app'),
    );
  });
});
