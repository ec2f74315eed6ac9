import { InputError } from '@backstage/errors';
import { DEFAULT_PAGE_LIMIT } from '@paasport/plugin-paas-common';
import { Knex } from 'knex';

/** Which page of a list to return: at most `limit` items after the opaque `cursor`. */
export interface PageRequest {
  limit: number;
  /** `nextCursor` of the previous page of the same list. */
  cursor?: string;
}

/** One page of a list; `nextCursor` only when there are more items. */
export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/** The first page with the routes' default limit. */
export const FIRST_PAGE: PageRequest = { limit: DEFAULT_PAGE_LIMIT };

/** A column of a list's sort order; together the columns must be unique. */
export interface KeysetColumn {
  column: string;
  type: 'string' | 'integer' | 'timestamp';
  order?: 'asc' | 'desc';
}

type KeyValue = string | number;

const MAX_INTEGER_KEY = 2147483647;
const MAX_STRING_KEY = 1000;
const TIMESTAMP_TEXT =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}(:?\d{2})?)?$/;

/**
 * Runs `query` for one page in keyset order: rows after the cursor's key, sorted by
 * `columns`, at most `page.limit` of them. One extra row is fetched to tell whether there
 * is a next page. Throws InputError naming `cursor` for a cursor of another list or one
 * that was tampered with, so it never reaches the database.
 */
export async function selectPage<TRow>(
  query: Knex.QueryBuilder,
  options: { list: string; columns: KeysetColumn[]; page: PageRequest },
): Promise<{ rows: TRow[]; nextCursor?: string }> {
  const { list, columns, page } = options;
  const timestampAlias = (i: number) => `cursor_key_${i}`;
  query.select('*');
  columns.forEach((col, i) => {
    if (col.type === 'timestamp') {
      // The text form keeps PostgreSQL's microseconds, which a Date would round away.
      query.select(
        query.client.raw('CAST(?? AS TEXT) AS ??', [
          col.column,
          timestampAlias(i),
        ]),
      );
    }
  });
  if (page.cursor !== undefined) {
    const key = decodeCursor(page.cursor, list, columns);
    query.where(after => {
      columns.forEach((col, i) => {
        after.orWhere(position => {
          for (let j = 0; j < i; j++) {
            position.where(columns[j].column, key[j]);
          }
          position.where(col.column, col.order === 'desc' ? '<' : '>', key[i]);
        });
      });
    });
  }
  query
    .orderBy(
      columns.map(col => ({ column: col.column, order: col.order ?? 'asc' })),
    )
    .limit(page.limit + 1);
  const rows: Array<Record<string, unknown>> = await query;
  if (rows.length <= page.limit) {
    return { rows: rows as TRow[] };
  }
  const pageRows = rows.slice(0, page.limit);
  const last = pageRows[pageRows.length - 1];
  const key = columns.map((col, i) => {
    const value =
      col.type === 'timestamp' ? last[timestampAlias(i)] : last[col.column];
    return col.type === 'integer' ? Number(value) : String(value);
  });
  return {
    rows: pageRows as TRow[],
    nextCursor: Buffer.from(JSON.stringify({ l: list, k: key })).toString(
      'base64url',
    ),
  };
}

function decodeCursor(
  cursor: string,
  list: string,
  columns: KeysetColumn[],
): KeyValue[] {
  const invalid = new InputError(
    `Invalid query: cursor: not a cursor of this list; pass the nextCursor of its previous page`,
  );
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
  if (typeof decoded !== 'object' || decoded === null) {
    throw invalid;
  }
  const { l, k } = decoded as { l?: unknown; k?: unknown };
  if (
    l !== list ||
    !Array.isArray(k) ||
    k.length !== columns.length ||
    !k.every((value, i) => isKeyValue(value, columns[i].type))
  ) {
    throw invalid;
  }
  return k;
}

function isKeyValue(value: unknown, type: KeysetColumn['type']): boolean {
  if (type === 'integer') {
    return (
      typeof value === 'number' &&
      Number.isInteger(value) &&
      value >= 0 &&
      value <= MAX_INTEGER_KEY
    );
  }
  if (
    typeof value !== 'string' ||
    value.length > MAX_STRING_KEY ||
    value.includes('\u0000')
  ) {
    return false;
  }
  return type === 'string' || isTimestampText(value);
}

/** Whether both PostgreSQL and SQLite can compare a timestamp column with `value`. */
function isTimestampText(value: string): boolean {
  const match = TIMESTAMP_TEXT.exec(value);
  if (!match) {
    return false;
  }
  const [year, month, day, hour, minute, second] = match
    .slice(1, 7)
    .map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    hour < 24 &&
    minute < 60 &&
    second < 60
  );
}
