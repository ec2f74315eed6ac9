import { mockServices } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { DatabaseClusterStore, NewCluster } from './ClusterStore';
import { applyDatabaseMigrations } from './migrations';

/** The database's error message for a statement, or a note that it succeeded. */
async function failureOf(statement: PromiseLike<unknown>): Promise<string> {
  return Promise.resolve(statement).then(
    () => 'succeeded',
    error => String(error),
  );
}

/** Clusters whose allocations break the model; none may ever show up. */
async function overAllocated(knex: Knex): Promise<string[]> {
  return knex('clusters')
    .where(q =>
      q
        .whereRaw('?? > ??', ['cpu_allocated', 'cpu_millicores'])
        .orWhereRaw('?? > ??', ['memory_allocated', 'memory_mib'])
        .orWhereRaw('?? > ??', ['gpus_allocated', 'gpus'])
        .orWhere('cpu_allocated', '<', 0)
        .orWhere('memory_allocated', '<', 0)
        .orWhere('gpus_allocated', '<', 0),
    )
    .pluck('name');
}

jest.setTimeout(60_000);

const PLATFORM = 'user:default/platform';

const EU_WEST_GPU: NewCluster = {
  name: 'eu-west-gpu',
  title: 'EU West GPU',
  capacity: { cpuMillicores: 96000, memoryMib: 393216, gpus: 8 },
  gpuType: 'nvidia-a100',
  labels: { region: 'eu-west-1', environment: 'production' },
  state: 'ready',
  source: 'api',
  createdBy: PLATFORM,
};

const US_EAST_OLD: NewCluster = {
  name: 'us-east-old',
  title: 'US East (old)',
  capacity: { cpuMillicores: 32000, memoryMib: 131072, gpus: 0 },
  labels: { region: 'us-east-1', environment: 'production' },
  state: 'ready',
  source: 'catalog',
  createdBy: PLATFORM,
};

describe('DatabaseClusterStore', () => {
  const databases = createTestDatabases();

  async function createStore(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    const db = await applyDatabaseMigrations(
      mockServices.database({ knex, migrations: { skip: false } }),
    );
    return { knex, store: new DatabaseClusterStore(db) };
  }

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    it('registers, lists, cordons and removes clusters', async () => {
      const { store } = await createStore(databaseId);
      const registered = await store.register(EU_WEST_GPU);
      expect(registered).toEqual({
        name: 'eu-west-gpu',
        title: 'EU West GPU',
        capacity: { cpuMillicores: 96000, memoryMib: 393216, gpus: 8 },
        allocated: { cpuMillicores: 0, memoryMib: 0, gpus: 0 },
        free: { cpuMillicores: 96000, memoryMib: 393216, gpus: 8 },
        utilization: { cpuMillicores: 0, memoryMib: 0, gpus: 0 },
        gpuType: 'nvidia-a100',
        labels: { region: 'eu-west-1', environment: 'production' },
        state: 'ready',
        source: 'api',
        createdBy: PLATFORM,
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      });
      const old = await store.register(US_EAST_OLD);
      expect(old).not.toHaveProperty('gpuType');
      expect(old.utilization.gpus).toBeNull();

      await expect(
        store.register({ ...EU_WEST_GPU, title: 'Another' }),
      ).rejects.toMatchObject({
        name: 'ConflictError',
        message: "A cluster named 'eu-west-gpu' already exists",
      });

      const cordoned = await store.update('us-east-old', { state: 'cordoned' });
      expect(cordoned).toEqual({
        ...old,
        state: 'cordoned',
        updatedAt: expect.any(String),
      });
      expect((await store.list()).map(c => [c.name, c.state])).toEqual([
        ['eu-west-gpu', 'ready'],
        ['us-east-old', 'cordoned'],
      ]);

      const changed = await store.update('eu-west-gpu', {
        title: 'EU West A100',
        capacity: { gpus: 16 },
        gpuType: null,
        labels: { region: 'eu-west-2' },
      });
      expect(changed).toMatchObject({
        title: 'EU West A100',
        capacity: { cpuMillicores: 96000, memoryMib: 393216, gpus: 16 },
        labels: { region: 'eu-west-2' },
      });
      expect(changed).not.toHaveProperty('gpuType');

      await store.remove('us-east-old');
      expect(await store.get('us-east-old')).toBeUndefined();
      await expect(store.remove('us-east-old')).rejects.toMatchObject({
        name: 'NotFoundError',
        message: "No cluster named 'us-east-old'",
      });
      await expect(
        store.update('ghost', { state: 'draining' }),
      ).rejects.toMatchObject({ name: 'NotFoundError' });
    });

    it('allocates only what fits on a ready cluster and releases it again', async () => {
      const { knex, store } = await createStore(databaseId);
      await store.register(EU_WEST_GPU);
      const big = { cpuMillicores: 64000, memoryMib: 262144, gpus: 6 };
      expect(await store.allocate(undefined, 'eu-west-gpu', big)).toBe(true);
      expect(await store.allocate(undefined, 'eu-west-gpu', big)).toBe(false);
      // One dimension short is enough to refuse all of it.
      expect(
        await store.allocate(undefined, 'eu-west-gpu', {
          cpuMillicores: 1000,
          memoryMib: 1024,
          gpus: 3,
        }),
      ).toBe(false);
      const cluster = (await store.get('eu-west-gpu'))!;
      expect(cluster.allocated).toEqual(big);
      expect(cluster.free).toEqual({
        cpuMillicores: 32000,
        memoryMib: 131072,
        gpus: 2,
      });
      expect(cluster.utilization).toEqual({
        cpuMillicores: 0.6667,
        memoryMib: 0.6667,
        gpus: 0.75,
      });

      await store.update('eu-west-gpu', { state: 'cordoned' });
      const small = { cpuMillicores: 1000, memoryMib: 1024, gpus: 0 };
      expect(await store.allocate(undefined, 'eu-west-gpu', small)).toBe(false);
      // A cordoned cluster still gives back what it holds.
      await store.release(undefined, 'eu-west-gpu', big);
      await expect(
        store.release(undefined, 'eu-west-gpu', small),
      ).rejects.toThrow('does not match its allocations');
      expect((await store.get('eu-west-gpu'))!.allocated).toEqual({
        cpuMillicores: 0,
        memoryMib: 0,
        gpus: 0,
      });

      await expect(
        store.allocate(undefined, 'ghost', small),
      ).rejects.toMatchObject({ name: 'NotFoundError' });
      await expect(
        store.allocate(undefined, 'eu-west-gpu', { ...small, gpus: -1 }),
      ).rejects.toMatchObject({ name: 'InputError' });
      await expect(
        store.allocate(undefined, 'eu-west-gpu', { ...small, gpus: 0.5 }),
      ).rejects.toMatchObject({ name: 'InputError' });
      expect(await overAllocated(knex)).toEqual([]);
    });

    it("allocates within the caller's transaction", async () => {
      const { knex, store } = await createStore(databaseId);
      await store.register(EU_WEST_GPU);
      const amounts = { cpuMillicores: 8000, memoryMib: 32768, gpus: 1 };
      const inside = await knex
        .transaction(async tx => {
          const fit = await store.allocate(tx, 'eu-west-gpu', amounts);
          const seen = await tx('clusters').first('gpus_allocated');
          throw Object.assign(new Error('placement failed'), { fit, seen });
        })
        .catch(error => ({ fit: error.fit, seen: error.seen }));
      expect(inside).toEqual({ fit: true, seen: { gpus_allocated: 1 } });
      expect((await store.get('eu-west-gpu'))!.allocated.gpus).toBe(0);

      await knex.transaction(async tx => {
        await store.allocate(tx, 'eu-west-gpu', amounts);
      });
      expect((await store.get('eu-west-gpu'))!.allocated).toEqual(amounts);
    });

    it('refuses to lower a capacity below what is allocated, naming the dimension', async () => {
      const { knex, store } = await createStore(databaseId);
      await store.register(EU_WEST_GPU);
      await store.allocate(undefined, 'eu-west-gpu', {
        cpuMillicores: 40000,
        memoryMib: 100000,
        gpus: 4,
      });
      const before = await store.get('eu-west-gpu');
      await expect(
        store.update('eu-west-gpu', {
          title: 'Smaller',
          capacity: { cpuMillicores: 32000, memoryMib: 200000, gpus: 2 },
        }),
      ).rejects.toMatchObject({
        name: 'ConflictError',
        message:
          "Cannot lower the capacity of 'eu-west-gpu' below what is allocated: " +
          'cpuMillicores to 32000: 40000 is allocated; gpus to 2: 4 is allocated',
      });
      expect(await store.get('eu-west-gpu')).toEqual(before);

      // Exactly what is allocated is fine.
      const lowered = await store.update('eu-west-gpu', {
        capacity: { gpus: 4 },
      });
      expect(lowered.free.gpus).toBe(0);
      expect(lowered.utilization.gpus).toBe(1);

      await expect(store.remove('eu-west-gpu')).rejects.toMatchObject({
        name: 'ConflictError',
        message:
          "Cannot remove 'eu-west-gpu' while 40000 CPU millicores, 100000 MiB of memory and 4 GPUs are allocated on it; cordon or drain it first",
      });
      expect(await store.get('eu-west-gpu')).toBeDefined();
      expect(await overAllocated(knex)).toEqual([]);
    });

    it('has the database itself refuse over-allocation and unknown states', async () => {
      const { knex, store } = await createStore(databaseId);
      await store.register(EU_WEST_GPU);
      const where = { name: 'eu-west-gpu' };
      expect(
        await failureOf(
          knex('clusters').where(where).update({ gpus_allocated: 9 }),
        ),
      ).toContain('clusters_gpus_allocation_check');
      expect(
        await failureOf(
          knex('clusters').where(where).update({ cpu_allocated: -1 }),
        ),
      ).toContain('clusters_cpu_allocation_check');
      expect(
        await failureOf(
          knex('clusters').where(where).update({ memory_mib: -1 }),
        ),
      ).toContain('clusters_memory_allocation_check');
      expect(
        await failureOf(
          knex('clusters').where(where).update({ state: 'gone' }),
        ),
      ).toContain('clusters_state_check');
      expect(
        await failureOf(
          knex('clusters').where(where).update({ source: 'guess' }),
        ),
      ).toContain('clusters_source_check');
      expect(
        await failureOf(
          knex('clusters').where(where).update({ gpus_allocated: 8 }),
        ),
      ).toBe('succeeded');
      expect(await overAllocated(knex)).toEqual([]);
    });

    it('lets exactly as many concurrent allocations through as fit', async () => {
      const { knex, store } = await createStore(databaseId);
      await store.register(EU_WEST_GPU);
      await store.register(US_EAST_OLD);

      // 96000 / 7000: CPU runs out after 13.
      const cpu = { cpuMillicores: 7000, memoryMib: 1024, gpus: 0 };
      const cpuResults = await Promise.all(
        Array.from({ length: 40 }, () =>
          store.allocate(undefined, 'eu-west-gpu', cpu),
        ),
      );
      expect(cpuResults.filter(Boolean)).toHaveLength(13);

      // 8 GPUs, 3 a time: 2 fit.
      const gpu = { cpuMillicores: 100, memoryMib: 100, gpus: 3 };
      const gpuResults = await Promise.all(
        Array.from({ length: 20 }, () =>
          store.allocate(undefined, 'eu-west-gpu', gpu),
        ),
      );
      expect(gpuResults.filter(Boolean)).toHaveLength(2);

      // 131072 MiB / 5000: 26, each in its own transaction.
      const memory = { cpuMillicores: 0, memoryMib: 5000, gpus: 0 };
      const memoryResults = await Promise.all(
        Array.from({ length: 40 }, () =>
          knex.transaction(tx => store.allocate(tx, 'us-east-old', memory)),
        ),
      );
      expect(memoryResults.filter(Boolean)).toHaveLength(26);

      expect((await store.get('eu-west-gpu'))!.allocated).toEqual({
        cpuMillicores: 13 * 7000 + 2 * 100,
        memoryMib: 13 * 1024 + 2 * 100,
        gpus: 6,
      });
      expect((await store.get('us-east-old'))!.allocated.memoryMib).toBe(
        26 * 5000,
      );
      expect(await overAllocated(knex)).toEqual([]);

      await Promise.all([
        ...Array.from({ length: 13 }, () =>
          store.release(undefined, 'eu-west-gpu', cpu),
        ),
        ...Array.from({ length: 2 }, () =>
          store.release(undefined, 'eu-west-gpu', gpu),
        ),
        ...Array.from({ length: 26 }, () =>
          store.release(undefined, 'us-east-old', memory),
        ),
      ]);
      const allocated = await knex('clusters')
        .orderBy('name')
        .select('name', 'cpu_allocated', 'memory_allocated', 'gpus_allocated');
      expect(allocated).toEqual([
        {
          name: 'eu-west-gpu',
          cpu_allocated: 0,
          memory_allocated: 0,
          gpus_allocated: 0,
        },
        {
          name: 'us-east-old',
          cpu_allocated: 0,
          memory_allocated: 0,
          gpus_allocated: 0,
        },
      ]);
    });

    it('never lets a capacity change and allocations together exceed capacity', async () => {
      const { knex, store } = await createStore(databaseId);
      await store.register(EU_WEST_GPU);
      const one = { cpuMillicores: 0, memoryMib: 0, gpus: 1 };
      const work: Promise<unknown>[] = [
        ...Array.from({ length: 10 }, () =>
          store.allocate(undefined, 'eu-west-gpu', one),
        ),
        store.update('eu-west-gpu', { capacity: { gpus: 4 } }),
        store.update('eu-west-gpu', { capacity: { gpus: 6 } }),
      ];
      await Promise.allSettled(work);
      const cluster = (await store.get('eu-west-gpu'))!;
      expect(cluster.allocated.gpus).toBeLessThanOrEqual(cluster.capacity.gpus);
      expect(await overAllocated(knex)).toEqual([]);
    });
  });
});
