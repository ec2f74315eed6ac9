import { EntityLink } from '@backstage/catalog-model';

/**
 * The outputs whose values are web addresses, such as the console link, as entity links
 * titled after their key: `consoleUrl` becomes "Console URL".
 */
export function outputLinks(outputs: Record<string, string>): EntityLink[] {
  return Object.entries(outputs)
    .filter(([, value]) => isWebAddress(value))
    .map(([key, url]) => ({ url, title: titleOf(key) }));
}

function isWebAddress(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

function titleOf(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[\s_-]+/)
    .filter(Boolean)
    .map(word =>
      /^(url|arn|api)$/i.test(word) ? word.toUpperCase() : word.toLowerCase(),
    );
  const title = words.join(' ');
  return title.charAt(0).toUpperCase() + title.slice(1);
}

/**
 * The Paasport page of the resource's organization; Paasport has no page per resource yet.
 * None without the app's base URL: the catalog refuses relative links.
 */
export function paasportOrganizationUrl(
  appBaseUrl: string | undefined,
  organization: string,
): string | undefined {
  if (!appBaseUrl) {
    return undefined;
  }
  return `${appBaseUrl.replace(
    /\/+$/,
    '',
  )}/paasport/organizations/${encodeURIComponent(organization)}`;
}
