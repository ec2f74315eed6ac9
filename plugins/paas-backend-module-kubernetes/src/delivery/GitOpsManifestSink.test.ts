import fs from 'node:fs';
import { ConflictError, InputError } from '@backstage/errors';
import { add, commit, log, readCommit } from 'isomorphic-git';
import { KubernetesManifest, LABEL_RESOURCE_ID } from '../manifests';
import { useTempDirectory } from '../__testUtils__/tempDirectory';
import { GitOpsManifestSink } from './GitOpsManifestSink';
import { ManifestTarget } from './types';

const target: ManifestTarget = {
  resourceId: 'res-1',
  cluster: 'eu-central-general',
  namespace: 'checkout-dev',
};
const folder = 'clusters/eu-central-general/namespaces/checkout-dev';

function namespaceManifest(resourceId = target.resourceId): KubernetesManifest {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: target.namespace,
      labels: { [LABEL_RESOURCE_ID]: resourceId },
    },
  };
}

function quotaManifest(cpu: string): KubernetesManifest {
  return {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: {
      name: 'paasport-quota',
      namespace: target.namespace,
      labels: { [LABEL_RESOURCE_ID]: target.resourceId },
    },
    spec: { hard: { 'requests.cpu': cpu } },
  };
}

describe('GitOpsManifestSink', () => {
  const mockDir = useTempDirectory();
  const repo = () => mockDir.resolve('gitops');
  const history = async () => log({ fs, dir: repo() }).catch(() => []);

  it('initialises the repository and commits one file per object, authored by Paasport', async () => {
    const sink = new GitOpsManifestSink({ directory: repo() });

    const delivered = await sink.apply(target, [
      namespaceManifest(),
      quotaManifest('4'),
    ]);

    const commits = await history();
    expect(commits).toHaveLength(1);
    expect(commits[0].oid).toBe(delivered.revision);
    expect(commits[0].commit.author.name).toBe('Paasport');
    expect(commits[0].commit.message).toContain(
      'Apply namespace checkout-dev on eu-central-general',
    );
    expect(delivered).toMatchObject({
      changed: true,
      outputs: { gitopsPath: folder, commit: delivered.revision },
      conditions: [
        { type: 'Committed', status: 'True', reason: 'Committed' },
        { type: 'AppliedToCluster', status: 'Unknown' },
      ],
    });
    expect(fs.readdirSync(mockDir.resolve('gitops', folder)).sort()).toEqual([
      'namespace-checkout-dev.yaml',
      'resourcequota-paasport-quota.yaml',
    ]);
    expect(
      fs.readFileSync(
        mockDir.resolve('gitops', folder, 'resourcequota-paasport-quota.yaml'),
        'utf8',
      ),
    ).toContain("requests.cpu: '4'");
  });

  it('adds no commit when the same manifests are applied again', async () => {
    const sink = new GitOpsManifestSink({ directory: repo() });
    const first = await sink.apply(target, [
      namespaceManifest(),
      quotaManifest('4'),
    ]);

    const second = await sink.apply(target, [
      namespaceManifest(),
      quotaManifest('4'),
    ]);

    expect(await history()).toHaveLength(1);
    expect(second.changed).toBe(false);
    expect(second.revision).toBe(first.revision);
  });

  it('adds exactly one commit when the quota changes', async () => {
    const sink = new GitOpsManifestSink({ directory: repo() });
    const first = await sink.apply(target, [
      namespaceManifest(),
      quotaManifest('4'),
    ]);

    const second = await sink.apply(target, [
      namespaceManifest(),
      quotaManifest('8'),
    ]);

    const commits = await history();
    expect(commits.map(c => c.oid)).toEqual([second.revision, first.revision]);
    expect(second.changed).toBe(true);
    const observed = await sink.observe(target);
    expect(observed?.revision).toBe(second.revision);
    expect(observed?.manifests).toContainEqual(quotaManifest('8'));
  });

  it("reports the last commit of the target's own folder, not the repository's HEAD", async () => {
    const sink = new GitOpsManifestSink({ directory: repo() });
    const first = await sink.apply(target, [namespaceManifest()]);
    const neighbour = { ...target, namespace: 'payments-dev' };
    const other = await sink.apply(neighbour, [
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name: 'payments-dev',
          labels: { [LABEL_RESOURCE_ID]: 'res-1' },
        },
      },
    ]);

    const again = await sink.apply(target, [namespaceManifest()]);

    expect(other.revision).not.toBe(first.revision);
    expect(again.revision).toBe(first.revision);
    expect((await sink.observe(target))?.revision).toBe(first.revision);
  });

  it('removes objects that are no longer in the set', async () => {
    const sink = new GitOpsManifestSink({ directory: repo() });
    await sink.apply(target, [namespaceManifest(), quotaManifest('4')]);

    await sink.apply(target, [namespaceManifest()]);

    expect(await history()).toHaveLength(2);
    expect((await sink.observe(target))?.manifests).toEqual([
      namespaceManifest(),
    ]);
  });

  it('deletes the folder in a commit, and does nothing when it is already gone', async () => {
    const sink = new GitOpsManifestSink({ directory: repo() });
    await sink.apply(target, [namespaceManifest(), quotaManifest('4')]);

    await sink.remove(target);
    await sink.remove(target);

    const commits = await history();
    expect(commits).toHaveLength(2);
    expect(commits[0].commit.message).toContain(
      'Remove namespace checkout-dev',
    );
    expect(fs.existsSync(mockDir.resolve('gitops', folder))).toBe(false);
    expect(fs.existsSync(mockDir.resolve('gitops', 'clusters'))).toBe(false);
    expect(await sink.observe(target)).toBeUndefined();
  });

  it('observes nothing, and creates nothing, when the repository does not exist', async () => {
    const sink = new GitOpsManifestSink({ directory: repo() });

    expect(await sink.observe(target)).toBeUndefined();
    await sink.remove(target);

    expect(fs.existsSync(repo())).toBe(false);
  });

  it('reads back what is committed, not what lies uncommitted in the working tree', async () => {
    const sink = new GitOpsManifestSink({ directory: repo() });
    const applied = await sink.apply(target, [
      namespaceManifest(),
      quotaManifest('4'),
    ]);
    const file = mockDir.resolve(
      'gitops',
      folder,
      'resourcequota-paasport-quota.yaml',
    );
    fs.writeFileSync(
      file,
      fs.readFileSync(file, 'utf8').replace("'4'", "'64'"),
    );

    const observed = await sink.observe(target);

    expect(observed?.revision).toBe(applied.revision);
    expect(observed?.manifests).toContainEqual(quotaManifest('4'));
  });

  it('commits what an interrupted apply left uncommitted', async () => {
    const sink = new GitOpsManifestSink({ directory: repo() });
    await sink.apply(target, [namespaceManifest(), quotaManifest('4')]);
    const file = mockDir.resolve(
      'gitops',
      folder,
      'resourcequota-paasport-quota.yaml',
    );
    // As if a previous apply wrote the new quota and the process died before committing.
    const next = fs.readFileSync(file, 'utf8').replace("'4'", "'8'");
    fs.writeFileSync(file, next);

    const retried = await sink.apply(target, [
      namespaceManifest(),
      quotaManifest('8'),
    ]);

    expect(retried.changed).toBe(true);
    expect(await history()).toHaveLength(2);
    expect((await sink.observe(target))?.manifests).toContainEqual(
      quotaManifest('8'),
    );
  });

  it('serializes concurrent applies to one repository', async () => {
    const sinks = [
      new GitOpsManifestSink({ directory: repo() }),
      new GitOpsManifestSink({ directory: repo() }),
    ];
    const targets = Array.from({ length: 6 }, (_, i) => ({
      ...target,
      namespace: `team-${i}`,
    }));

    await Promise.all(
      targets.map((t, i) =>
        sinks[i % 2].apply(t, [
          {
            apiVersion: 'v1',
            kind: 'Namespace',
            metadata: {
              name: t.namespace,
              labels: { [LABEL_RESOURCE_ID]: t.resourceId },
            },
          },
        ]),
      ),
    );

    const commits = await history();
    expect(commits).toHaveLength(6);
    for (const t of targets) {
      expect(await sinks[0].observe(t)).toMatchObject({ changed: false });
    }
    // Each commit has the previous one as parent: no commit was lost to a race.
    for (let i = 0; i < commits.length - 1; i++) {
      expect(commits[i].commit.parent).toEqual([commits[i + 1].oid]);
    }
  });

  it("refuses to overwrite another resource's file, and leaves it alone on remove", async () => {
    const other = new GitOpsManifestSink({ directory: repo() });
    await other.apply({ ...target, resourceId: 'res-2' }, [
      namespaceManifest('res-2'),
    ]);
    const sink = new GitOpsManifestSink({ directory: repo() });

    expect(await sink.observe(target)).toBeUndefined();
    await expect(sink.observe(target, [namespaceManifest()])).rejects.toThrow(
      ConflictError,
    );
    await expect(sink.apply(target, [namespaceManifest()])).rejects.toThrow(
      /namespace-checkout-dev\.yaml is not managed by Paasport resource res-1 \(it belongs to resource res-2\)/,
    );
    await sink.remove(target);

    expect(await history()).toHaveLength(1);
    expect(
      (await other.observe({ ...target, resourceId: 'res-2' }))?.manifests,
    ).toEqual([namespaceManifest('res-2')]);
  });

  describe('a namespace folder shared by a namespace and a workload', () => {
    const workload: ManifestTarget = { ...target, resourceId: 'wl-1' };
    const deployment: KubernetesManifest = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'payments-api',
        namespace: target.namespace,
        labels: { [LABEL_RESOURCE_ID]: 'wl-1' },
      },
      spec: { replicas: 2 },
    };
    const folderFiles = () =>
      fs.readdirSync(mockDir.resolve('gitops', folder)).sort();

    it('lets each apply, observe and remove only its own files', async () => {
      const sink = new GitOpsManifestSink({ directory: repo() });
      await sink.apply(target, [namespaceManifest(), quotaManifest('4')]);

      await sink.apply(workload, [deployment]);
      // A namespace apply with one object less removes only its own file.
      await sink.apply(target, [namespaceManifest()]);

      expect(folderFiles()).toEqual([
        'deployment-payments-api.yaml',
        'namespace-checkout-dev.yaml',
      ]);
      expect((await sink.observe(target))?.manifests).toEqual([
        namespaceManifest(),
      ]);
      expect((await sink.observe(workload))?.manifests).toEqual([deployment]);
      const commits = await history();
      expect(commits.map(c => c.commit.message.split('\n')[0])).toEqual([
        'Apply namespace checkout-dev on eu-central-general',
        'Apply Deployment payments-api in namespace checkout-dev on eu-central-general',
        'Apply namespace checkout-dev on eu-central-general',
      ]);

      await sink.remove(workload);

      expect(folderFiles()).toEqual(['namespace-checkout-dev.yaml']);
      expect(await sink.observe(workload)).toBeUndefined();
      expect((await history())[0].commit.message).toContain(
        'Remove Deployment payments-api in namespace checkout-dev from eu-central-general',
      );
    });

    it('refuses to remove the namespace while a workload still has files in it', async () => {
      const sink = new GitOpsManifestSink({ directory: repo() });
      await sink.apply(target, [namespaceManifest()]);
      await sink.apply(workload, [deployment]);

      await expect(sink.remove(target)).rejects.toThrow(
        `Namespace checkout-dev on eu-central-general still holds objects of other Paasport resources: ${folder}/deployment-payments-api.yaml (resource wl-1)`,
      );
      expect(folderFiles()).toHaveLength(2);

      await sink.remove(workload);
      await sink.remove(target);
      expect(fs.existsSync(mockDir.resolve('gitops', 'clusters'))).toBe(false);
      expect(await history()).toHaveLength(4);
    });

    it("refuses a workload file that would overwrite the namespace's own", async () => {
      const sink = new GitOpsManifestSink({ directory: repo() });
      await sink.apply(target, [namespaceManifest(), quotaManifest('4')]);

      await expect(
        sink.apply(workload, [
          {
            ...quotaManifest('64'),
            metadata: {
              ...quotaManifest('64').metadata,
              labels: { [LABEL_RESOURCE_ID]: 'wl-1' },
            },
          },
        ]),
      ).rejects.toThrow(/belongs to resource res-1/);
      expect((await sink.observe(target))?.manifests).toContainEqual(
        quotaManifest('4'),
      );
    });
  });

  it('refuses a folder with a hand-written file, committed or not', async () => {
    const sink = new GitOpsManifestSink({ directory: repo() });
    await sink.apply(target, [namespaceManifest()]);
    fs.writeFileSync(
      mockDir.resolve('gitops', folder, 'extra.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n',
    );

    await expect(sink.remove(target)).rejects.toThrow(
      /extra\.yaml .* no Paasport ownership label/,
    );

    await add({ fs, dir: repo(), filepath: `${folder}/extra.yaml` });
    await commit({
      fs,
      dir: repo(),
      message: 'by hand',
      author: { name: 'Someone' },
    });
    await expect(sink.observe(target)).rejects.toThrow(ConflictError);
    expect(fs.existsSync(mockDir.resolve('gitops', folder, 'extra.yaml'))).toBe(
      true,
    );
  });

  it('refuses manifests without the ownership label, for another namespace or with unsafe names', async () => {
    const sink = new GitOpsManifestSink({ directory: repo() });

    await expect(
      sink.apply(target, [namespaceManifest('res-2')]),
    ).rejects.toThrow(InputError);
    await expect(
      sink.apply(target, [
        {
          ...quotaManifest('1'),
          metadata: { ...quotaManifest('1').metadata, namespace: 'other' },
        },
      ]),
    ).rejects.toThrow(/not in namespace checkout-dev/);
    await expect(
      sink.apply({ ...target, cluster: '../escape' }, [namespaceManifest()]),
    ).rejects.toThrow(InputError);
    await expect(
      sink.apply(target, [
        {
          ...quotaManifest('1'),
          metadata: { ...quotaManifest('1').metadata, name: '../../escape' },
        },
      ]),
    ).rejects.toThrow(/unfit for a file name/);
    await expect(
      sink.apply(target, [
        {
          ...namespaceManifest(),
          metadata: { ...namespaceManifest().metadata, name: 'kube-system' },
        },
      ]),
    ).rejects.toThrow(/not in namespace checkout-dev/);
    expect(await history()).toHaveLength(0);
  });

  it('records the full commit in the repository', async () => {
    const sink = new GitOpsManifestSink({
      directory: repo(),
      defaultBranch: 'trunk',
    });
    const { revision } = await sink.apply(target, [namespaceManifest()]);

    const { commit: read } = await readCommit({
      fs,
      dir: repo(),
      oid: revision,
    });
    expect(read.message).toContain('Paasport resource: res-1');
    expect(
      fs.readFileSync(mockDir.resolve('gitops', '.git', 'HEAD'), 'utf8'),
    ).toContain('refs/heads/trunk');
  });
});
