import { isDeepStrictEqual } from 'node:util';
import { KubernetesManifest } from '../manifests';
import { KubernetesObject } from './KubernetesApiClient';

/** The field manager Paasport applies as. */
export const FIELD_MANAGER = 'paasport';

/**
 * Annotation holding the manifest Paasport last applied (without this annotation), as JSON.
 * What the API server returns differs from what was applied (defaults, quantities written
 * in canonical form such as `0.5` as `500m`), so observe reads the manifest back from here
 * rather than comparing values, and trusts it only while the managed fields show nobody
 * else has changed what Paasport applied.
 */
export const ANNOTATION_APPLIED = 'paasport.io/applied-manifest';

/** A `fieldsV1` set: `f:<field>`, `k:<key JSON>`, `v:<value JSON>`, `i:<index>`, `.`. */
interface FieldSet {
  [key: string]: FieldSet;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function listItemMatches(key: string, item: unknown, index: number): boolean {
  if (key.startsWith('k:')) {
    const fields = parseJson(key.slice(2));
    return (
      isObject(fields) &&
      isObject(item) &&
      Object.entries(fields).every(([name, value]) =>
        isDeepStrictEqual(item[name], value),
      )
    );
  }
  if (key.startsWith('v:')) {
    return isDeepStrictEqual(parseJson(key.slice(2)), item);
  }
  return key === `i:${index}`;
}

/**
 * The part of `value` that a `fieldsV1` set names: a field with no children in the set
 * (a scalar, an atomic list or map) is taken whole, lists keyed by `k:`, `v:` or `i:`
 * item by item.
 */
export function projectFields(value: unknown, fields: FieldSet): unknown {
  const keys = Object.keys(fields).filter(key => key !== '.');
  if (keys.length === 0) {
    return value;
  }
  if (Array.isArray(value)) {
    return value.flatMap((item, index) => {
      const key = keys.find(k => listItemMatches(k, item, index));
      return key ? [projectFields(item, fields[key])] : [];
    });
  }
  if (isObject(value)) {
    const projected: Record<string, unknown> = {};
    for (const key of keys) {
      const name = key.slice(2);
      if (key.startsWith('f:') && Object.hasOwn(value, name)) {
        projected[name] = projectFields(value[name], fields[key]);
      }
    }
    return projected;
  }
  return value;
}

/** The manifest as Paasport sends it: with the record of itself in an annotation. */
export function withAppliedRecord(
  manifest: KubernetesManifest,
): KubernetesManifest {
  return {
    ...manifest,
    metadata: {
      ...manifest.metadata,
      annotations: {
        ...manifest.metadata.annotations,
        [ANNOTATION_APPLIED]: JSON.stringify(manifest),
      },
    },
  };
}

/**
 * `projected` with the identity of `source` (apiVersion, kind, name, namespace), which the
 * API server keeps out of managed fields.
 */
function withIdentity(
  source: KubernetesManifest,
  projected: unknown,
): KubernetesManifest {
  const rest = isObject(projected) ? projected : {};
  const metadata = isObject(rest.metadata) ? rest.metadata : {};
  return {
    ...rest,
    apiVersion: source.apiVersion,
    kind: source.kind,
    metadata: {
      ...metadata,
      name: source.metadata.name,
      ...(source.metadata.namespace !== undefined && {
        namespace: source.metadata.namespace,
      }),
    },
  };
}

function withoutRecord(manifest: KubernetesManifest): KubernetesManifest {
  const { [ANNOTATION_APPLIED]: _, ...annotations } =
    manifest.metadata.annotations ?? {};
  const { annotations: __, ...metadata } = manifest.metadata;
  return {
    ...manifest,
    metadata: {
      ...metadata,
      ...(Object.keys(annotations).length > 0 && { annotations }),
    },
  };
}

/**
 * What Paasport applied to an object, as it still holds: the recorded manifest when every
 * field of it is still managed by Paasport; otherwise (someone else changed or removed a
 * field, or there is no trustworthy record) the object's current values of the fields
 * Paasport still manages, which then differ from the spec and show as drift.
 */
export function appliedManifestOf(live: KubernetesObject): KubernetesManifest {
  const entry = live.metadata.managedFields?.find(
    e =>
      e.manager === FIELD_MANAGER && e.operation === 'Apply' && !e.subresource,
  );
  const fields = (entry?.fieldsV1 ?? {}) as FieldSet;
  const ownsRecord = Boolean(
    fields['f:metadata']?.['f:annotations']?.[`f:${ANNOTATION_APPLIED}`],
  );
  const text = live.metadata.annotations?.[ANNOTATION_APPLIED];
  const recorded = text === undefined ? undefined : parseJson(text);
  if (
    ownsRecord &&
    isObject(recorded) &&
    recorded.kind === live.kind &&
    isObject(recorded.metadata) &&
    recorded.metadata.name === live.metadata.name
  ) {
    const manifest = recorded as KubernetesManifest;
    if (
      isDeepStrictEqual(
        withIdentity(manifest, projectFields(manifest, fields)),
        manifest,
      )
    ) {
      return manifest;
    }
  }
  return withoutRecord(withIdentity(live, projectFields(live, fields)));
}
