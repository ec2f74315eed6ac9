import { createResourceFixture } from '../__testUtils__/resourceFixture';
import { createTestDatabases } from '../__testUtils__/testDatabases';

jest.setTimeout(60_000);

describe('DatabaseResourceStore between organizations', () => {
  const databases = createTestDatabases();

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    async function setUp() {
      const fixture = await createResourceFixture(
        await databases.init(databaseId),
      );
      await fixture.organization('acme', 2);
      await fixture.organization('globex', 2);
      return fixture;
    }

    it('scopes an idempotency key to its organization', async () => {
      const { resources, request } = await setUp();
      const acme = await request({
        organization: 'acme',
        name: 'assets',
        idempotencyKey: 'task-1/step-1',
      });

      const globex = await request({
        organization: 'globex',
        name: 'logs',
        idempotencyKey: 'task-1/step-1',
      });

      expect(globex.created).toBe(true);
      expect(globex.resource).toMatchObject({
        organization: 'globex',
        name: 'logs',
      });
      expect(globex.resource.id).not.toBe(acme.resource.id);
      expect(
        (await resources.getByIdempotencyKey('globex', 'task-1/step-1'))?.id,
      ).toBe(globex.resource.id);
      expect(
        (await resources.getByIdempotencyKey('acme', 'task-1/step-1'))?.id,
      ).toBe(acme.resource.id);
      expect(
        await resources.getByIdempotencyKey('initech', 'task-1/step-1'),
      ).toBeUndefined();
      expect(
        await request({
          organization: 'globex',
          name: 'logs',
          idempotencyKey: 'task-1/step-1',
        }),
      ).toEqual({ resource: globex.resource, created: false });
    });

    it('refuses a cloud name another organization holds without naming its resource', async () => {
      const { organization, teams, request, resources } = await setUp();
      // `acme-web` + `assets` and `acme` + `web-assets` make the same cloud name.
      await organization('acme-web', 2, ['assets']);
      await teams.create({
        organization: 'acme',
        name: 'web-assets',
        title: 'Web assets',
        createdBy: 'user:default/admin',
      });
      await request({ organization: 'acme-web', team: 'assets', name: 'x' });

      const refusal = await request({
        organization: 'acme',
        team: 'web-assets',
        name: 'x',
      }).catch(error => error);

      expect(refusal).toMatchObject({
        name: 'ConflictError',
        message:
          'Another resource already has the cloud name this aws:s3-bucket would get from ' +
          'its organization, team and name; choose another name',
      });
      expect(refusal.message).not.toContain('acme-web');
      expect(await resources.list({ organization: 'acme' })).toEqual([]);
    });

    it('names the caller own team when the name is taken there', async () => {
      const { request } = await setUp();
      await request({ organization: 'acme', name: 'assets' });

      await expect(
        request({ organization: 'acme', name: 'assets' }),
      ).rejects.toThrow(
        "Team web of acme already has a aws:s3-bucket named 'assets'",
      );
    });
  });
});
