import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

// In Jest, setupTests.ts stands in for loadKubernetesModels (Jest cannot run import()
// without --experimental-vm-modules). This test runs the real loader in a plain Node
// process with the same TypeScript transform `backstage-cli package start` uses.
describe('loadKubernetesModels', () => {
  it('loads the model classes with import() in Node, once', async () => {
    const script = `
      const { loadKubernetesModels } = require('./src/manifests/kubernetesModels.ts');
      (async () => {
        const models = await loadKubernetesModels();
        const again = await loadKubernetesModels();
        const namespace = new models.Namespace({ metadata: { name: 'checkout-dev' } });
        namespace.validate();
        let refused = false;
        try {
          new models.ResourceQuota({ metadata: { name: 'q' }, spec: { hard: { pods: 'many' } } }).validate();
        } catch {
          refused = true;
        }
        console.log(JSON.stringify({
          names: Object.keys(models).sort(),
          cached: models === again,
          namespace: namespace.toJSON(),
          refused,
        }));
      })().catch(error => { console.error(error); process.exit(1); });
    `;

    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        '--require',
        require.resolve('@backstage/cli/config/nodeTransform.cjs'),
        '-e',
        script,
      ],
      { cwd: path.resolve(__dirname, '../..'), timeout: 60_000 },
    );

    expect(JSON.parse(stdout.trim().split('\n').pop()!)).toEqual({
      names: [
        'Deployment',
        'LimitRange',
        'Namespace',
        'NetworkPolicy',
        'ResourceQuota',
        'RoleBinding',
      ],
      cached: true,
      namespace: {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'checkout-dev' },
      },
      refused: true,
    });
  });
});
