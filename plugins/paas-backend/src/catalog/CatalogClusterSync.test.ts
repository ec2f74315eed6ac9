import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { DatabaseClusterStore } from '../database/ClusterStore';
import { applyDatabaseMigrations } from '../database/migrations';
import { CatalogClusterSync } from './CatalogClusterSync';

jest.setTimeout(60_000);

/** A `kubernetes-cluster` Resource as in examples/clusters.yaml. */
function clusterEntity(
  name: string,
  options: {
    title?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  } = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      ...(options.namespace ? { namespace: options.namespace } : {}),
      ...(options.title ? { title: options.title } : {}),
      labels: options.labels ?? { region: 'eu-central-1', environment: 'prod' },
      annotations: {
        'paasport.io/capacity-cpu-millicores': '32000',
        'paasport.io/capacity-memory-mib': '131072',
        'paasport.io/capacity-gpus': '0',
        'paasport.io/state': 'ready',
        ...options.annotations,
      },
    },
    spec: { type: 'kubernetes-cluster', owner: 'platform-team' },
  };
}

const EU_CENTRAL_GENERAL = clusterEntity('eu-central-general', {
  title: 'eu-central general purpose',
  annotations: {
    'paasport.io/capacity-cpu-millicores': '128000',
    'paasport.io/capacity-memory-mib': '524288',
  },
});
const EU_CENTRAL_GPU = clusterEntity('eu-central-gpu', {
  title: 'eu-central GPU',
  annotations: {
    'paasport.io/capacity-cpu-millicores': '48000',
    'paasport.io/capacity-memory-mib': '196608',
    'paasport.io/capacity-gpus': '4',
    'paasport.io/gpu-type': 'nvidia-l4',
  },
});
const US_EAST_OLD = clusterEntity('us-east-old', {
  title: 'us-east (legacy)',
  labels: { region: 'us-east-1', environment: 'dev' },
});
const EXAMPLES = [EU_CENTRAL_GENERAL, EU_CENTRAL_GPU, US_EAST_OLD];

/** Not a cluster: another Resource type and another kind. */
const NOT_CLUSTERS: Entity[] = [
  { ...clusterEntity('a-database'), spec: { type: 'database' } },
  { ...clusterEntity('a-component'), kind: 'Component' },
];

const NOTHING = { registered: [], updated: [], cordoned: [], skipped: [] };

describe('CatalogClusterSync', () => {
  const databases = createTestDatabases();

  async function setUp(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    const db = await applyDatabaseMigrations(
      mockServices.database({ knex, migrations: { skip: false } }),
    );
    const store = new DatabaseClusterStore(db);
    const logger = mockServices.logger.mock();
    const onChange = jest.fn();
    /** Runs a sync against a catalog holding just these entities. */
    const sync = (entities: Entity[]) =>
      new CatalogClusterSync({
        catalog: catalogServiceMock({ entities }),
        auth: mockServices.auth(),
        clusters: store,
        logger,
        onChange,
      }).run();
    const warnings = () => logger.warn.mock.calls.map(([message]) => message);
    return { store, logger, onChange, sync, warnings };
  }

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    it('registers the example clusters with their capacity, labels, GPU type and state', async () => {
      const { store, logger, onChange, sync, warnings } = await setUp(
        databaseId,
      );

      expect(await sync([...EXAMPLES, ...NOT_CLUSTERS])).toEqual({
        ...NOTHING,
        registered: ['eu-central-general', 'eu-central-gpu', 'us-east-old'],
      });

      expect(await store.list()).toEqual([
        expect.objectContaining({
          name: 'eu-central-general',
          title: 'eu-central general purpose',
          capacity: { cpuMillicores: 128000, memoryMib: 524288, gpus: 0 },
          allocated: { cpuMillicores: 0, memoryMib: 0, gpus: 0 },
          labels: { region: 'eu-central-1', environment: 'prod' },
          state: 'ready',
          source: 'catalog',
          createdBy: 'resource:default/eu-central-general',
        }),
        expect.objectContaining({
          name: 'eu-central-gpu',
          title: 'eu-central GPU',
          capacity: { cpuMillicores: 48000, memoryMib: 196608, gpus: 4 },
          gpuType: 'nvidia-l4',
          labels: { region: 'eu-central-1', environment: 'prod' },
          state: 'ready',
          source: 'catalog',
          createdBy: 'resource:default/eu-central-gpu',
        }),
        expect.objectContaining({
          name: 'us-east-old',
          title: 'us-east (legacy)',
          capacity: { cpuMillicores: 32000, memoryMib: 131072, gpus: 0 },
          labels: { region: 'us-east-1', environment: 'dev' },
          state: 'ready',
          source: 'catalog',
          createdBy: 'resource:default/us-east-old',
        }),
      ]);
      expect(await store.get('eu-central-general')).not.toHaveProperty(
        'gpuType',
      );
      expect(logger.info).toHaveBeenCalledWith(
        'Catalog cluster sync: 3 registered, 0 updated, 0 cordoned, 0 skipped',
        expect.anything(),
      );
      expect(onChange).toHaveBeenCalledTimes(1);

      // Nothing changed in the catalog: nothing changes, nothing is logged.
      const before = await store.list();
      expect(await sync(EXAMPLES)).toEqual(NOTHING);
      expect(await store.list()).toEqual(before);
      expect(logger.info).toHaveBeenCalledTimes(1);
      expect(onChange).toHaveBeenCalledTimes(1);
      expect(warnings()).toEqual([]);
    });

    it('applies what changed in an entity to its cluster', async () => {
      const { store, sync } = await setUp(databaseId);
      await sync(EXAMPLES);
      const untouched = await store.get('eu-central-general');

      const changed = clusterEntity('eu-central-gpu', {
        title: 'eu-central A100',
        labels: { region: 'eu-central-1', environment: 'prod', tier: 'gpu' },
        annotations: {
          'paasport.io/capacity-cpu-millicores': '96000',
          'paasport.io/capacity-memory-mib': '393216',
          'paasport.io/capacity-gpus': '8',
          'paasport.io/gpu-type': 'nvidia-a100',
          'paasport.io/state': 'draining',
        },
      });
      expect(await sync([EU_CENTRAL_GENERAL, changed, US_EAST_OLD])).toEqual({
        ...NOTHING,
        updated: ['eu-central-gpu'],
      });

      expect(await store.get('eu-central-gpu')).toMatchObject({
        title: 'eu-central A100',
        capacity: { cpuMillicores: 96000, memoryMib: 393216, gpus: 8 },
        gpuType: 'nvidia-a100',
        labels: { region: 'eu-central-1', environment: 'prod', tier: 'gpu' },
        state: 'draining',
        source: 'catalog',
      });
      expect(await store.get('eu-central-general')).toEqual(untouched);

      // A GPU type that is no longer annotated is removed.
      const { 'paasport.io/gpu-type': _, ...withoutGpuType } =
        changed.metadata.annotations!;
      await sync([
        {
          ...changed,
          metadata: { ...changed.metadata, annotations: withoutGpuType },
        },
      ]);
      expect(await store.get('eu-central-gpu')).not.toHaveProperty('gpuType');
    });

    it('leaves clusters registered through the API alone', async () => {
      const { store, sync, warnings } = await setUp(databaseId);
      const apiCluster = await store.register({
        name: 'eu-central-gpu',
        title: 'Registered by hand',
        capacity: { cpuMillicores: 1000, memoryMib: 1024, gpus: 0 },
        labels: {},
        state: 'ready',
        source: 'api',
        createdBy: 'user:default/platform',
      });
      const elsewhere = await store.register({
        name: 'on-prem',
        title: 'On premises',
        capacity: { cpuMillicores: 1000, memoryMib: 1024, gpus: 0 },
        labels: {},
        state: 'ready',
        source: 'api',
        createdBy: 'user:default/platform',
      });

      expect(await sync(EXAMPLES)).toEqual({
        ...NOTHING,
        registered: ['eu-central-general', 'us-east-old'],
        skipped: ['resource:default/eu-central-gpu'],
      });
      expect(await store.get('eu-central-gpu')).toEqual(apiCluster);
      // Not in the catalog, but not the catalog's to cordon either.
      expect(await store.get('on-prem')).toEqual(elsewhere);
      expect(warnings()).toEqual([
        "Skipped cluster entity resource:default/eu-central-gpu: cluster 'eu-central-gpu' was registered through the API",
      ]);
    });

    it('skips entities with invalid values, naming the entity and the field', async () => {
      const { store, sync, warnings } = await setUp(databaseId);
      const invalid = [
        clusterEntity('negative-cpu', {
          annotations: { 'paasport.io/capacity-cpu-millicores': '-1000' },
        }),
        clusterEntity('words-for-memory', {
          annotations: { 'paasport.io/capacity-memory-mib': 'lots' },
        }),
        clusterEntity('half-a-gpu', {
          annotations: { 'paasport.io/capacity-gpus': '0.5' },
        }),
        clusterEntity('bad-state', {
          annotations: { 'paasport.io/state': 'retired' },
        }),
        clusterEntity('bad-gpu-type', {
          annotations: { 'paasport.io/gpu-type': 'NVIDIA A100' },
        }),
        clusterEntity('prefixed-label', {
          labels: { 'topology.kubernetes.io/region': 'eu-central-1' },
        }),
        clusterEntity('Not_A_Dns_Label'),
      ];
      const noCpu = clusterEntity('no-cpu');
      delete noCpu.metadata.annotations!['paasport.io/capacity-cpu-millicores'];

      const report = await sync([...invalid, noCpu, US_EAST_OLD]);

      expect(report).toEqual({
        ...NOTHING,
        registered: ['us-east-old'],
        // Entity refs are lower-case however the entity spells its name.
        skipped: [...invalid, noCpu].map(
          e => `resource:default/${e.metadata.name.toLowerCase()}`,
        ),
      });
      expect((await store.list()).map(c => c.name)).toEqual(['us-east-old']);
      expect(warnings()).toEqual([
        expect.stringMatching(
          /^Skipped cluster entity resource:default\/negative-cpu: paasport\.io\/capacity-cpu-millicores \('-1000'\): .*>=0/,
        ),
        expect.stringMatching(
          /^Skipped cluster entity resource:default\/words-for-memory: paasport\.io\/capacity-memory-mib \('lots'\): .*expected number/,
        ),
        expect.stringMatching(
          /^Skipped cluster entity resource:default\/half-a-gpu: paasport\.io\/capacity-gpus \('0\.5'\): .*int/,
        ),
        expect.stringMatching(
          /^Skipped cluster entity resource:default\/bad-state: paasport\.io\/state \('retired'\): /,
        ),
        expect.stringMatching(
          /^Skipped cluster entity resource:default\/bad-gpu-type: paasport\.io\/gpu-type \('NVIDIA A100'\): must be lower-case/,
        ),
        expect.stringMatching(
          /^Skipped cluster entity resource:default\/prefixed-label: metadata\.labels\.topology\.kubernetes\.io\/region: label keys must be/,
        ),
        expect.stringMatching(
          /^Skipped cluster entity resource:default\/not_a_dns_label: metadata\.name: must be lower-case/,
        ),
        expect.stringMatching(
          /^Skipped cluster entity resource:default\/no-cpu: paasport\.io\/capacity-cpu-millicores \(missing\): /,
        ),
      ]);
    });

    it('keeps a cluster as it is while its entity is invalid', async () => {
      const { store, sync } = await setUp(databaseId);
      await sync(EXAMPLES);
      const before = await store.get('us-east-old');

      const broken = clusterEntity('us-east-old', {
        annotations: { 'paasport.io/capacity-memory-mib': '-1' },
      });
      expect(await sync([EU_CENTRAL_GENERAL, EU_CENTRAL_GPU, broken])).toEqual({
        ...NOTHING,
        skipped: ['resource:default/us-east-old'],
      });
      expect(await store.get('us-east-old')).toEqual(before);
    });

    it('cordons a cluster whose entity left the catalog, and leaves readying it to the platform team', async () => {
      const { store, sync, logger } = await setUp(databaseId);
      await sync(EXAMPLES);
      const running = { cpuMillicores: 4000, memoryMib: 8192, gpus: 0 };
      await store.allocate(undefined, 'us-east-old', running);

      expect(await sync([EU_CENTRAL_GENERAL, EU_CENTRAL_GPU])).toEqual({
        ...NOTHING,
        cordoned: ['us-east-old'],
      });
      expect(await store.get('us-east-old')).toMatchObject({
        state: 'cordoned',
        allocated: running,
        source: 'catalog',
      });
      expect(logger.info).toHaveBeenCalledWith(
        "Cordoned cluster 'us-east-old': its entity resource:default/us-east-old is no longer in the catalog",
        expect.anything(),
      );

      // Already cordoned: not reported again.
      expect(await sync([EU_CENTRAL_GENERAL, EU_CENTRAL_GPU])).toEqual(NOTHING);

      // Back in the catalog, it stays cordoned until someone readies it through the API.
      expect(await sync(EXAMPLES)).toEqual(NOTHING);
      expect((await store.get('us-east-old'))!.state).toBe('cordoned');
      await store.update('us-east-old', { state: 'ready' });
      expect(await sync(EXAMPLES)).toEqual(NOTHING);
      expect((await store.get('us-east-old'))!.state).toBe('ready');
    });

    it('keeps a cordon made through the API while the entity says ready', async () => {
      const { store, sync } = await setUp(databaseId);
      await sync(EXAMPLES);
      await store.update('us-east-old', { state: 'cordoned' });

      expect(await sync(EXAMPLES)).toEqual(NOTHING);

      expect((await store.get('us-east-old'))!.state).toBe('cordoned');
    });

    it('keeps a capacity that would drop below what is allocated and applies the rest', async () => {
      const { store, sync, warnings } = await setUp(databaseId);
      await sync(EXAMPLES);
      await store.allocate(undefined, 'eu-central-general', {
        cpuMillicores: 40000,
        memoryMib: 100000,
        gpus: 0,
      });

      const shrunk = clusterEntity('eu-central-general', {
        title: 'eu-central general (shrinking)',
        labels: { region: 'eu-central-1', environment: 'staging' },
        annotations: {
          'paasport.io/capacity-cpu-millicores': '16000',
          'paasport.io/capacity-memory-mib': '600000',
          'paasport.io/state': 'cordoned',
        },
      });
      expect(await sync([shrunk, EU_CENTRAL_GPU, US_EAST_OLD])).toEqual({
        ...NOTHING,
        updated: ['eu-central-general'],
        skipped: ['resource:default/eu-central-general'],
      });

      expect(await store.get('eu-central-general')).toMatchObject({
        title: 'eu-central general (shrinking)',
        capacity: { cpuMillicores: 128000, memoryMib: 600000, gpus: 0 },
        allocated: { cpuMillicores: 40000, memoryMib: 100000, gpus: 0 },
        labels: { region: 'eu-central-1', environment: 'staging' },
        state: 'cordoned',
      });
      expect(warnings()).toEqual([
        expect.stringContaining(
          "Kept capacity of cluster 'eu-central-general' that resource:default/eu-central-general lowers below what is allocated: " +
            "Cannot lower the capacity of 'eu-central-general' below what is allocated: cpuMillicores to 16000: 40000 is allocated",
        ),
      ]);

      // Once the deployments are gone, the next sync lowers it.
      await store.release(undefined, 'eu-central-general', {
        cpuMillicores: 40000,
        memoryMib: 100000,
        gpus: 0,
      });
      expect(await sync([shrunk, EU_CENTRAL_GPU, US_EAST_OLD])).toEqual({
        ...NOTHING,
        updated: ['eu-central-general'],
      });
      expect(
        (await store.get('eu-central-general'))!.capacity.cpuMillicores,
      ).toBe(16000);
    });

    it('reads every page of the catalog with its own service credentials', async () => {
      const { store, logger } = await setUp(databaseId);
      const catalog = catalogServiceMock.mock({
        async *streamEntities() {
          yield [EU_CENTRAL_GENERAL];
          yield [EU_CENTRAL_GPU, US_EAST_OLD];
        },
      });
      const sync = new CatalogClusterSync({
        catalog,
        auth: mockServices.auth({ pluginId: 'paas' }),
        clusters: store,
        logger,
      });

      expect((await sync.run()).registered).toEqual([
        'eu-central-general',
        'eu-central-gpu',
        'us-east-old',
      ]);
      expect(catalog.streamEntities).toHaveBeenCalledWith(
        {
          filter: { kind: 'resource', 'spec.type': 'kubernetes-cluster' },
          fields: expect.arrayContaining(['metadata.annotations']),
        },
        {
          credentials: expect.objectContaining({
            principal: { type: 'service', subject: 'plugin:paas' },
          }),
        },
      );
      expect(await store.list()).toHaveLength(3);
    });

    it('goes on with the other clusters when one cannot be stored', async () => {
      const { store, logger, warnings } = await setUp(databaseId);
      const failing: DatabaseClusterStore = Object.create(store);
      failing.register = async cluster => {
        if (cluster.name === 'eu-central-gpu') {
          throw new Error('connection reset');
        }
        return store.register(cluster);
      };
      const sync = new CatalogClusterSync({
        catalog: catalogServiceMock({ entities: EXAMPLES }),
        auth: mockServices.auth(),
        clusters: failing,
        logger,
      });

      expect(await sync.run()).toEqual({
        ...NOTHING,
        registered: ['eu-central-general', 'us-east-old'],
        skipped: ['resource:default/eu-central-gpu'],
      });
      expect((await store.list()).map(c => c.name)).toEqual([
        'eu-central-general',
        'us-east-old',
      ]);
      expect(warnings()).toEqual([
        'Could not apply cluster entity resource:default/eu-central-gpu: connection reset',
      ]);
    });

    it('follows the entity that registered a cluster when another namespace reuses its name', async () => {
      const { store, sync, warnings } = await setUp(databaseId);
      await sync([US_EAST_OLD]);

      const impostor = clusterEntity('us-east-old', {
        namespace: 'lab',
        annotations: { 'paasport.io/capacity-cpu-millicores': '1000' },
      });
      expect(await sync([impostor, US_EAST_OLD])).toEqual({
        ...NOTHING,
        skipped: ['resource:lab/us-east-old'],
      });
      expect((await store.get('us-east-old'))!.capacity.cpuMillicores).toBe(
        32000,
      );
      expect(warnings()).toEqual([
        "Skipped cluster entity resource:lab/us-east-old: cluster 'us-east-old' is already described by resource:default/us-east-old",
      ]);
    });
  });
});
