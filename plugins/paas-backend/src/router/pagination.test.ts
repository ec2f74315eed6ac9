import { pageResponse, parsePageQuery } from './pagination';

describe('parsePageQuery', () => {
  it('takes limit and cursor out of the query and leaves the rest', () => {
    expect(
      parsePageQuery({ limit: '5', cursor: 'abc_-9', state: 'x' }),
    ).toEqual({ page: { limit: 5, cursor: 'abc_-9' }, rest: { state: 'x' } });
    expect(parsePageQuery({})).toEqual({ page: { limit: 100 }, rest: {} });
    expect(parsePageQuery({ limit: '500' }).page.limit).toBe(500);
  });

  it.each([
    ['0'],
    ['501'],
    ['abc'],
    ['1.5'],
    ['-1'],
    [' 5'],
    [''],
    [['1', '2']],
  ])('refuses limit %j naming limit', limit => {
    expect(() => parsePageQuery({ limit } as any)).toThrow(
      expect.objectContaining({
        name: 'InputError',
        message: 'Invalid query: limit: must be a whole number from 1 to 500',
      }),
    );
  });

  it.each([
    [''],
    ['not base64!'],
    [['a', 'b']],
    [{ a: 'b' }],
    ['x'.repeat(5000)],
  ])('refuses cursor %j naming cursor', cursor => {
    expect(() => parsePageQuery({ cursor } as any)).toThrow(
      expect.objectContaining({
        name: 'InputError',
        message: expect.stringMatching(/^Invalid query: cursor: /),
      }),
    );
  });
});

describe('pageResponse', () => {
  it('answers items with pageInfo, with nextCursor only when there is a next page', () => {
    expect(pageResponse({ items: [1], nextCursor: 'c' })).toEqual({
      items: [1],
      pageInfo: { nextCursor: 'c' },
    });
    expect(pageResponse({ items: [] })).toEqual({ items: [], pageInfo: {} });
  });
});
