import { http, HttpResponse } from 'msw';
import { parse } from 'yaml';

/** A request the fake API server received. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  contentType: string | null;
  authorization: string | null;
  body?: any;
}

type FieldSet = { [key: string]: FieldSet };

interface StoredObject {
  apiVersion: string;
  kind: string;
  metadata: Record<string, any> & {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    managedFields?: Array<{
      manager: string;
      operation: string;
      fieldsType: 'FieldsV1';
      fieldsV1: FieldSet;
    }>;
  };
  [field: string]: any;
}

// The fake's own view of the API, kept apart from the code under test on purpose.
const RESOURCES: Record<string, { kind: string; namespaced: boolean }> = {
  'v1/namespaces': { kind: 'Namespace', namespaced: false },
  'v1/resourcequotas': { kind: 'ResourceQuota', namespaced: true },
  'v1/limitranges': { kind: 'LimitRange', namespaced: true },
  'networking.k8s.io/v1/networkpolicies': {
    kind: 'NetworkPolicy',
    namespaced: true,
  },
  'rbac.authorization.k8s.io/v1/rolebindings': {
    kind: 'RoleBinding',
    namespaced: true,
  },
  'apps/v1/deployments': { kind: 'Deployment', namespaced: true },
};

const isObject = (value: unknown): value is Record<string, any> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The field set server-side apply records for an applied object, close to what the API
 * server writes: lists of objects with a `name` are keyed by it, other lists are atomic.
 */
export function fieldsOf(value: unknown): FieldSet {
  if (Array.isArray(value)) {
    if (
      value.length > 0 &&
      value.every(item => isObject(item) && typeof item.name === 'string')
    ) {
      return Object.fromEntries(
        value.map(item => [
          `k:${JSON.stringify({ name: item.name })}`,
          { '.': {}, ...fieldsOf(item) },
        ]),
      );
    }
    return {};
  }
  if (isObject(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, child]) => [
        `f:${key}`,
        fieldsOf(child),
      ]),
    );
  }
  return {};
}

function appliedFieldsOf(object: StoredObject): FieldSet {
  const { apiVersion, kind, metadata, ...rest } = object;
  const { name, namespace, ...meta } = metadata;
  return fieldsOf({ ...rest, metadata: meta });
}

const QUANTITY_MAPS = [
  'hard',
  'default',
  'defaultRequest',
  'requests',
  'limits',
];

/** The API server writes quantities in canonical form, `0.5` as `500m`. */
function canonicalQuantities(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) {
    return value.map(item => canonicalQuantities(item));
  }
  if (!isObject(value)) {
    return value;
  }
  return Object.fromEntries(
    Object.entries(value).map(([name, child]) => {
      const decimal =
        QUANTITY_MAPS.includes(key) && typeof child === 'string'
          ? /^0\.(\d{1,3})$/.exec(child)
          : null;
      return [
        name,
        decimal
          ? `${Number(decimal[1].padEnd(3, '0'))}m`
          : canonicalQuantities(child, name),
      ];
    }),
  );
}

function status(code: number, reason: string, message: string) {
  return HttpResponse.json(
    {
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      message,
      reason,
      code,
    },
    { status: code },
  );
}

function matchesSelector(
  labels: Record<string, string> = {},
  selector: string | null,
): boolean {
  if (!selector) {
    return true;
  }
  return selector.split(',').every(term => {
    const [key, value] = term.split(/!=|=/);
    if (term.includes('!=')) {
      return labels[key] !== value;
    }
    if (term.includes('=')) {
      return labels[key] === value;
    }
    return Object.hasOwn(labels, key);
  });
}

/**
 * An in-memory Kubernetes API server for msw: read, list by label selector, server-side
 * apply (with managed fields) and delete of the kinds Paasport writes, with the API's
 * paths, Status errors and bearer token check. Namespaces terminate until
 * {@link FakeKubernetesApi.finishNamespaceDeletion}, as a namespace controller would.
 */
export class FakeKubernetesApi {
  readonly requests: RecordedRequest[] = [];
  private readonly objects = new Map<string, StoredObject>();
  private version = 1000;

  constructor(readonly url: string, private readonly token: string) {}

  get handlers() {
    return [
      http.all(`${this.url}/*`, async ({ request }) => {
        const url = new URL(request.url);
        const base = new URL(this.url).pathname.replace(/\/$/, '');
        const path = url.pathname.slice(base.length);
        const text = request.method === 'PATCH' ? await request.text() : '';
        const recorded: RecordedRequest = {
          method: request.method,
          path,
          query: url.searchParams,
          contentType: request.headers.get('content-type'),
          authorization: request.headers.get('authorization'),
          body: text ? parse(text) : undefined,
        };
        this.requests.push(recorded);
        if (recorded.authorization !== `Bearer ${this.token}`) {
          return status(401, 'Unauthorized', 'Unauthorized');
        }
        return this.handle(recorded);
      }),
    ];
  }

  /** Requests other than reads. */
  get writes(): RecordedRequest[] {
    return this.requests.filter(r => r.method !== 'GET');
  }

  /** An object as the server holds it. */
  object(kind: string, name: string, namespace?: string) {
    return this.objects.get(this.key(kind, name, namespace));
  }

  /** Creates an object as another client would, with an Update by `manager`. */
  seed(
    object: Omit<StoredObject, 'metadata'> & { metadata: any },
    manager = 'kubectl',
  ) {
    const stored = structuredClone(object) as StoredObject;
    stored.metadata.uid = `uid-${stored.metadata.name}`;
    stored.metadata.resourceVersion = String(++this.version);
    stored.metadata.managedFields = [
      {
        manager,
        operation: 'Update',
        fieldsType: 'FieldsV1',
        fieldsV1: appliedFieldsOf(stored),
      },
    ];
    this.objects.set(
      this.key(stored.kind, stored.metadata.name, stored.metadata.namespace),
      stored,
    );
  }

  /**
   * Changes a field as `kubectl edit` does: the editor becomes the field's manager, and
   * Paasport loses it.
   */
  edit(
    kind: string,
    name: string,
    namespace: string | undefined,
    fieldPath: string[],
    value: unknown,
  ) {
    const object = this.object(kind, name, namespace)!;
    let parent: any = object;
    for (const segment of fieldPath.slice(0, -1)) {
      parent = parent[segment];
    }
    parent[fieldPath[fieldPath.length - 1]] = value;
    for (const entry of object.metadata.managedFields ?? []) {
      let fields: FieldSet | undefined = entry.fieldsV1;
      for (const segment of fieldPath.slice(0, -1)) {
        fields = fields?.[`f:${segment}`];
      }
      delete fields?.[`f:${fieldPath[fieldPath.length - 1]}`];
    }
    object.metadata.managedFields!.push({
      manager: 'kubectl-edit',
      operation: 'Update',
      fieldsType: 'FieldsV1',
      fieldsV1: {},
    });
    object.metadata.resourceVersion = String(++this.version);
  }

  /** What the namespace controller does once a terminating namespace is empty. */
  finishNamespaceDeletion(name: string) {
    for (const [key, object] of this.objects) {
      if (object.metadata.namespace === name) {
        this.objects.delete(key);
      }
    }
    this.objects.delete(this.key('Namespace', name));
  }

  private key(kind: string, name: string, namespace?: string) {
    return `${kind}/${namespace ?? ''}/${name}`;
  }

  private handle(request: RecordedRequest) {
    const match =
      /^\/(?:api\/(v1)|apis\/([^/]+\/[^/]+))(?:\/namespaces\/([^/]+))?\/([^/]+)(?:\/([^/]+))?$/.exec(
        request.path,
      );
    // `/api/v1/namespaces/<name>` is the Namespace itself, not a namespaced collection.
    const namespaceItem = /^\/api\/v1\/namespaces\/([^/]+)$/.exec(request.path);
    if (!match && !namespaceItem) {
      return status(
        404,
        'NotFound',
        `the server could not find ${request.path}`,
      );
    }
    const [group, namespace, plural, rawName] = namespaceItem
      ? ['v1', undefined, 'namespaces', namespaceItem[1]]
      : [match![1] ?? match![2], match![3], match![4], match![5]];
    const resource = RESOURCES[`${group}/${plural}`];
    if (!resource || resource.namespaced !== Boolean(namespace)) {
      return status(
        404,
        'NotFound',
        `the server could not find ${request.path}`,
      );
    }
    const name = rawName && decodeURIComponent(rawName);
    const { kind } = resource;
    const notFound = () =>
      status(404, 'NotFound', `${plural} "${name}" not found`);

    if (!name) {
      if (request.method !== 'GET') {
        return status(405, 'MethodNotAllowed', 'not supported');
      }
      const selector = request.query.get('labelSelector');
      const items = [...this.objects.values()]
        .filter(
          o =>
            o.kind === kind &&
            o.metadata.namespace === namespace &&
            matchesSelector(o.metadata.labels, selector),
        )
        .map(({ apiVersion, kind: _, ...item }) => item);
      return HttpResponse.json({
        apiVersion: group,
        kind: `${kind}List`,
        metadata: { resourceVersion: String(this.version) },
        items,
      });
    }

    const existing = this.objects.get(this.key(kind, name, namespace));
    switch (request.method) {
      case 'GET':
        return existing ? HttpResponse.json(existing) : notFound();
      case 'DELETE':
        return this.delete(kind, name, namespace, existing, notFound);
      case 'PATCH':
        return this.apply(request, group, kind, name, namespace, existing);
      default:
        return status(405, 'MethodNotAllowed', 'not supported');
    }
  }

  private delete(
    kind: string,
    name: string,
    namespace: string | undefined,
    existing: StoredObject | undefined,
    notFound: () => Response,
  ) {
    if (!existing) {
      return notFound();
    }
    if (kind !== 'Namespace') {
      this.objects.delete(this.key(kind, name, namespace));
      return HttpResponse.json({ kind: 'Status', status: 'Success' });
    }
    if (existing.metadata.deletionTimestamp) {
      return status(
        409,
        'Conflict',
        `Operation cannot be fulfilled on namespaces "${name}": The system is ensuring all content is removed from this namespace.`,
      );
    }
    existing.metadata.deletionTimestamp = '2026-01-01T00:00:00Z';
    existing.status = { phase: 'Terminating' };
    existing.metadata.resourceVersion = String(++this.version);
    return HttpResponse.json(existing);
  }

  private apply(
    request: RecordedRequest,
    group: string,
    kind: string,
    name: string,
    namespace: string | undefined,
    existing: StoredObject | undefined,
  ) {
    if (request.contentType !== 'application/apply-patch+yaml') {
      return status(415, 'UnsupportedMediaType', 'not an apply patch');
    }
    const manager = request.query.get('fieldManager');
    if (!manager) {
      return status(400, 'BadRequest', 'fieldManager is required for apply');
    }
    const body = request.body as StoredObject;
    if (
      body?.apiVersion !== group ||
      body.kind !== kind ||
      body.metadata?.name !== name ||
      body.metadata?.namespace !== namespace
    ) {
      return status(400, 'BadRequest', 'the object does not match the path');
    }
    const namespaceObject = namespace
      ? this.object('Namespace', namespace)
      : undefined;
    if (namespace && !namespaceObject) {
      return status(404, 'NotFound', `namespaces "${namespace}" not found`);
    }
    if (!existing && namespaceObject?.metadata.deletionTimestamp) {
      return status(
        403,
        'Forbidden',
        `unable to create new content in namespace ${namespace} because it is being terminated`,
      );
    }
    const others = (existing?.metadata.managedFields ?? []).filter(
      e => e.manager !== manager,
    );
    const content = canonicalQuantities(structuredClone(body)) as StoredObject;
    const next: StoredObject = {
      ...content,
      metadata: {
        ...content.metadata,
        uid: existing?.metadata.uid ?? `uid-${name}`,
        resourceVersion: '',
        managedFields: [
          ...others,
          {
            manager,
            operation: 'Apply',
            fieldsType: 'FieldsV1',
            fieldsV1: appliedFieldsOf(body),
          },
        ],
      },
    };
    // Server-side defaults and status, which are nobody's applied fields.
    if (kind === 'Namespace') {
      next.metadata.labels = {
        ...next.metadata.labels,
        'kubernetes.io/metadata.name': name,
      };
      next.status = { phase: 'Active' };
    }
    if (kind === 'Deployment') {
      next.spec.strategy ??= { type: 'RollingUpdate' };
      next.status = { observedGeneration: 1 };
    }
    const unchanged =
      existing &&
      JSON.stringify({
        ...existing,
        metadata: { ...existing.metadata, resourceVersion: '' },
      }) === JSON.stringify(next);
    next.metadata.resourceVersion = unchanged
      ? existing!.metadata.resourceVersion
      : String(++this.version);
    this.objects.set(this.key(kind, name, namespace), next);
    return HttpResponse.json(next, { status: existing ? 200 : 201 });
  }
}
