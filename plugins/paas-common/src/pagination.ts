/** Where a list continues; there is no `nextCursor` on its last page. @public */
export interface PageInfo {
  /** Send it back as the `cursor` query parameter, with the same filters, for the next page. */
  nextCursor?: string;
}

/**
 * One page of a list route, as the catalog's `GET /entities/by-query` answers: ask for it with
 * the query parameters `limit` (1 to {@link MAX_PAGE_LIMIT}, default
 * {@link DEFAULT_PAGE_LIMIT}) and `cursor`.
 * @public
 */
export interface ListPage<T> {
  items: T[];
  pageInfo: PageInfo;
}

/** The most items a page of a list holds. @public */
export const MAX_PAGE_LIMIT = 500;

/** How many items a page of a list holds unless `limit` says otherwise. @public */
export const DEFAULT_PAGE_LIMIT = 100;
