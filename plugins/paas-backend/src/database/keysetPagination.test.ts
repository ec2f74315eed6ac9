import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { KeysetColumn, selectPage } from './keysetPagination';

jest.setTimeout(60_000);

const COLUMNS: KeysetColumn[] = [
  { column: 'at', type: 'timestamp', order: 'desc' },
  { column: 'seq', type: 'integer' },
  { column: 'name', type: 'string' },
];

const cursorOf = (value: unknown) =>
  Buffer.from(JSON.stringify(value)).toString('base64url');

describe('selectPage', () => {
  const databases = createTestDatabases();

  async function setUp(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    await knex.schema.createTable('things', table => {
      table.timestamp('at', { useTz: true }).notNullable();
      table.integer('seq').notNullable();
      table.string('name').notNullable();
    });
    return knex;
  }

  async function everyPage(knex: Knex, limit: number) {
    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await selectPage<{ name: string }>(knex('things'), {
        list: 'things',
        columns: COLUMNS,
        page: { limit, cursor },
      });
      pages.push(page.rows.map(r => r.name));
      cursor = page.nextCursor;
    } while (cursor && pages.length < 20);
    return pages;
  }

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    it('returns every row once, in order, for every limit', async () => {
      const knex = await setUp(databaseId);
      const rows = [
        { at: '2026-11-22T12:00:00.000Z', seq: 1, name: 'a' },
        { at: '2026-11-22T12:00:00.000Z', seq: 1, name: 'b' },
        { at: '2026-11-22T12:00:00.000Z', seq: 2, name: 'c' },
        { at: '2026-11-22T11:00:00.000Z', seq: 0, name: 'd' },
        { at: '2026-11-22T10:00:00.000Z', seq: 5, name: 'e' },
      ];
      await knex('things').insert([...rows].reverse());
      for (const limit of [1, 2, 3, 4, 5, 6]) {
        const pages = await everyPage(knex, limit);
        expect(pages.flat()).toEqual(['a', 'b', 'c', 'd', 'e']);
        expect(pages.every(p => p.length <= limit)).toBe(true);
        expect(pages).toHaveLength(Math.ceil(5 / limit));
      }
    });

    it('keeps the microseconds PostgreSQL stores', async () => {
      const knex = await setUp(databaseId);
      const precise = databaseId === 'POSTGRES_15';
      await knex('things').insert([
        {
          at: precise
            ? '2026-11-22T12:00:00.123456Z'
            : '2026-11-22T12:00:00.124Z',
          seq: 0,
          name: 'a',
        },
        {
          at: precise
            ? '2026-11-22T12:00:00.123455Z'
            : '2026-11-22T12:00:00.123Z',
          seq: 0,
          name: 'b',
        },
      ]);
      expect(await everyPage(knex, 1)).toEqual([['a'], ['b']]);
    });

    it.each([
      ['not base64 JSON', 'garbage'],
      [
        'another list',
        cursorOf({ l: 'others', k: ['2026-11-22T12:00:00Z', 1, 'a'] }),
      ],
      [
        'too few keys',
        cursorOf({ l: 'things', k: ['2026-11-22T12:00:00Z', 1] }),
      ],
      ['no keys', cursorOf({ l: 'things' })],
      ['a JSON array', cursorOf(['things'])],
      ['null', cursorOf(null)],
      [
        'an impossible date',
        cursorOf({ l: 'things', k: ['2026-02-30T00:00:00Z', 1, 'a'] }),
      ],
      [
        'a text for a time',
        cursorOf({ l: 'things', k: ['yesterday', 1, 'a'] }),
      ],
      ['a number for a time', cursorOf({ l: 'things', k: [5, 1, 'a'] })],
      [
        'a fraction',
        cursorOf({ l: 'things', k: ['2026-11-22T12:00:00Z', 1.5, 'a'] }),
      ],
      [
        'a negative number',
        cursorOf({ l: 'things', k: ['2026-11-22T12:00:00Z', -1, 'a'] }),
      ],
      [
        'a number beyond integer',
        cursorOf({ l: 'things', k: ['2026-11-22T12:00:00Z', 2 ** 31, 'a'] }),
      ],
      [
        'a text for a number',
        cursorOf({ l: 'things', k: ['2026-11-22T12:00:00Z', '1', 'a'] }),
      ],
      [
        'a NUL character',
        cursorOf({ l: 'things', k: ['2026-11-22T12:00:00Z', 1, 'a\u0000'] }),
      ],
      [
        'an object for a text',
        cursorOf({ l: 'things', k: ['2026-11-22T12:00:00Z', 1, {}] }),
      ],
    ])(
      'refuses a cursor with %s as an InputError naming cursor',
      async (_what, cursor) => {
        const knex = await setUp(databaseId);
        await knex('things').insert({
          at: '2026-11-22T12:00:00Z',
          seq: 1,
          name: 'a',
        });
        await expect(
          selectPage(knex('things'), {
            list: 'things',
            columns: COLUMNS,
            page: { limit: 10, cursor },
          }),
        ).rejects.toMatchObject({
          name: 'InputError',
          message: expect.stringMatching(/^Invalid query: cursor: /),
        });
      },
    );

    it('accepts a well-formed cursor it did not issue, as a position in the order', async () => {
      const knex = await setUp(databaseId);
      await knex('things').insert([
        { at: '2026-11-22T12:00:00Z', seq: 1, name: 'a' },
        { at: '2026-11-22T10:00:00Z', seq: 1, name: 'b' },
      ]);
      const page = await selectPage<{ name: string }>(knex('things'), {
        list: 'things',
        columns: COLUMNS,
        page: {
          limit: 10,
          cursor: cursorOf({
            l: 'things',
            k: ['2026-11-22T11:00:00Z', 0, ''],
          }),
        },
      });
      expect(page.rows.map(r => r.name)).toEqual(['b']);
      expect(page.nextCursor).toBeUndefined();
    });
  });
});
