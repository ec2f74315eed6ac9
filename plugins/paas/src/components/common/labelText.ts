/** Labels read from `key=value` text, or why the text is not such a list. */
export type ParsedLabels =
  | { labels: Record<string, string>; error?: undefined }
  | { labels?: undefined; error: string };

/**
 * Reads labels typed as comma-separated `key=value` pairs, such as
 * `region=eu-west-1, environment=production`: a deployment's placement or a cluster's labels.
 * Empty text is no labels. Keys and values are only trimmed here; the request schema checks
 * their syntax.
 */
export function parseLabels(text: string): ParsedLabels {
  // a Map, so that a key such as __proto__ stays an ordinary label for the schema to refuse
  const labels = new Map<string, string>();
  for (const part of text.split(',')) {
    const pair = part.trim();
    if (!pair) {
      continue;
    }
    const separator = pair.indexOf('=');
    const key = separator > 0 ? pair.slice(0, separator).trim() : '';
    if (!key) {
      return { error: `"${pair}" is not a key=value pair` };
    }
    if (labels.has(key)) {
      return { error: `${key} is given twice` };
    }
    labels.set(key, pair.slice(separator + 1).trim());
  }
  return { labels: Object.fromEntries(labels) };
}

/**
 * The message of a schema issue to show by a field. A bad label key is reported by zod as
 * "Invalid key in record" with the key's own issue inside, which says more; that one is used.
 */
export function schemaIssueMessage(issue: {
  message: string;
  issues?: unknown;
}): string {
  const [inner] = Array.isArray(issue.issues) ? issue.issues : [];
  return typeof inner?.message === 'string' ? inner.message : issue.message;
}
