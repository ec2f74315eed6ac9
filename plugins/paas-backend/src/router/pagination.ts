import { InputError } from '@backstage/errors';
import {
  DEFAULT_PAGE_LIMIT,
  ListPage,
  MAX_PAGE_LIMIT,
} from '@paasport/plugin-paas-common';
import { Request } from 'express';
import { Page, PageRequest } from '../database/keysetPagination';

/**
 * Splits a list route's query into the page it asks for (`limit`, `cursor`) and the rest,
 * which the route parses with its own schema. Throws InputError naming `limit` or `cursor`.
 */
export function parsePageQuery(query: Request['query']): {
  page: PageRequest;
  rest: Record<string, unknown>;
} {
  const { limit, cursor, ...rest } = query;
  const page: PageRequest = { limit: DEFAULT_PAGE_LIMIT };
  if (limit !== undefined) {
    const value = typeof limit === 'string' ? Number(limit) : NaN;
    if (
      !/^\d+$/.test(String(limit)) ||
      !Number.isInteger(value) ||
      value < 1 ||
      value > MAX_PAGE_LIMIT
    ) {
      throw new InputError(
        `Invalid query: limit: must be a whole number from 1 to ${MAX_PAGE_LIMIT}`,
      );
    }
    page.limit = value;
  }
  if (cursor !== undefined) {
    if (typeof cursor !== 'string' || !/^[A-Za-z0-9_-]{1,4096}$/.test(cursor)) {
      throw new InputError(
        'Invalid query: cursor: not a cursor of this list; pass the nextCursor of its previous page',
      );
    }
    page.cursor = cursor;
  }
  return { page, rest };
}

/** A page as list routes answer it, like the catalog's `GET /entities/by-query`. */
export function pageResponse<T>(page: Page<T>): ListPage<T> {
  return {
    items: page.items,
    pageInfo: page.nextCursor ? { nextCursor: page.nextCursor } : {},
  };
}
