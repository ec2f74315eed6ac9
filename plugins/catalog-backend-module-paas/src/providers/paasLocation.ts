/**
 * The value of the location annotations of every entity the Paasport providers publish: the
 * Paasport backend's external base URL, or `paas:paasport` when it is unknown.
 */
export function paasLocation(baseUrl: string | undefined): string {
  return `paas:${baseUrl || 'paasport'}`;
}
