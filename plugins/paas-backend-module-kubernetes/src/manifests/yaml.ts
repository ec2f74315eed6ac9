import { parseAllDocuments, stringify } from 'yaml';
import { KubernetesManifest } from './types';

/** One manifest as a YAML document, without folding long lines, so diffs stay readable. */
export function manifestToYaml(manifest: KubernetesManifest): string {
  return stringify(manifest, { lineWidth: 0, singleQuote: true });
}

/** Several manifests as one multi-document YAML stream. */
export function manifestsToYaml(
  manifests: readonly KubernetesManifest[],
): string {
  return manifests.map(manifestToYaml).join('---\n');
}

/** Parses a YAML stream into its non-empty documents; throws on a syntax error. */
export function parseYamlDocuments(text: string): unknown[] {
  return parseAllDocuments(text)
    .map(document => {
      if (document.errors.length > 0) {
        throw document.errors[0];
      }
      return document.toJS() as unknown;
    })
    .filter(value => value !== null && value !== undefined);
}

/** True if `value` looks like a Kubernetes object: apiVersion, kind and a metadata name. */
export function isKubernetesManifest(
  value: unknown,
): value is KubernetesManifest {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const { apiVersion, kind, metadata } = value as Record<string, unknown>;
  return (
    typeof apiVersion === 'string' &&
    typeof kind === 'string' &&
    typeof metadata === 'object' &&
    metadata !== null &&
    typeof (metadata as Record<string, unknown>).name === 'string'
  );
}
