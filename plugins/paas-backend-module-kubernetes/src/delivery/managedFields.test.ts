import { KubernetesManifest } from '../manifests';
import { KubernetesObject } from './KubernetesApiClient';
import {
  ANNOTATION_APPLIED,
  appliedManifestOf,
  projectFields,
  withAppliedRecord,
} from './managedFields';

const applied: KubernetesManifest = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'payments-api',
    namespace: 'checkout-dev',
    labels: { 'paasport.io/resource-id': 'wl-1' },
  },
  spec: {
    replicas: 2,
    template: {
      spec: {
        containers: [
          {
            name: 'payments-api',
            image: 'ghcr.io/acme/payments-api:1.4.2',
            ports: [{ containerPort: 8080, protocol: 'TCP' }],
            resources: { limits: { cpu: '0.5' } },
          },
        ],
        tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists' }],
      },
    },
  },
};

// Written the way the API server records an apply by `paasport`: containers and ports are
// keyed lists, tolerations an atomic list, and identity fields are left out.
const paasportFields = {
  'f:metadata': {
    'f:annotations': { [`f:${ANNOTATION_APPLIED}`]: {} },
    'f:labels': { 'f:paasport.io/resource-id': {} },
  },
  'f:spec': {
    'f:replicas': {},
    'f:template': {
      'f:spec': {
        'f:containers': {
          'k:{"name":"payments-api"}': {
            '.': {},
            'f:image': {},
            'f:name': {},
            'f:ports': {
              'k:{"containerPort":8080,"protocol":"TCP"}': {
                '.': {},
                'f:containerPort': {},
                'f:protocol': {},
              },
            },
            'f:resources': { 'f:limits': { 'f:cpu': {} } },
          },
        },
        'f:tolerations': {},
      },
    },
  },
};

/** The object as a server returns it after the apply: defaults, status, other managers. */
function live(
  fields: object = paasportFields,
  change: (o: any) => void = () => {},
): KubernetesObject {
  const sent = withAppliedRecord(applied) as any;
  const object = structuredClone(sent);
  object.metadata.uid = 'c0ffee';
  object.metadata.resourceVersion = '4711';
  object.metadata.labels['team-note'] = 'added by hand';
  object.spec.replicas = 2;
  object.spec.strategy = { type: 'RollingUpdate' };
  const container = object.spec.template.spec.containers[0];
  container.resources.limits.cpu = '500m';
  container.imagePullPolicy = 'IfNotPresent';
  object.spec.template.spec.containers.push({ name: 'sidecar', image: 'x' });
  object.status = { replicas: 2 };
  object.metadata.managedFields = [
    {
      manager: 'paasport',
      operation: 'Apply',
      fieldsType: 'FieldsV1',
      fieldsV1: fields,
    },
    {
      manager: 'kube-controller-manager',
      operation: 'Update',
      subresource: 'status',
      fieldsV1: { 'f:status': { 'f:replicas': {} } },
    },
  ];
  change(object);
  return object;
}

describe('projectFields', () => {
  it('keeps exactly the fields a field set names, list items by their keys', () => {
    expect(projectFields(live(), paasportFields)).toEqual({
      metadata: {
        annotations: {
          [ANNOTATION_APPLIED]: JSON.stringify(applied),
        },
        labels: { 'paasport.io/resource-id': 'wl-1' },
      },
      spec: {
        replicas: 2,
        template: {
          spec: {
            containers: [
              {
                name: 'payments-api',
                image: 'ghcr.io/acme/payments-api:1.4.2',
                ports: [{ containerPort: 8080, protocol: 'TCP' }],
                resources: { limits: { cpu: '500m' } },
              },
            ],
            tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists' }],
          },
        },
      },
    });
  });

  it('reads set members and list indexes', () => {
    expect(
      projectFields(
        { finalizers: ['a', 'b', 'c'], args: ['x', 'y'] },
        { 'f:finalizers': { 'v:"b"': {} }, 'f:args': { 'i:1': {} } },
      ),
    ).toEqual({ finalizers: ['b'], args: ['y'] });
  });
});

describe('appliedManifestOf', () => {
  it('returns the recorded manifest while Paasport still manages every field of it', () => {
    // The server holds `500m` for the `0.5` applied: the record, not the value, counts.
    expect(appliedManifestOf(live())).toEqual(applied);
  });

  it("returns the object's current values when someone else took a field", () => {
    const fields = structuredClone(paasportFields) as any;
    delete fields['f:spec']['f:replicas'];

    const manifest = appliedManifestOf(
      live(fields, o => {
        o.spec.replicas = 5;
      }),
    ) as any;

    expect(manifest).not.toEqual(applied);
    expect(manifest.spec).not.toHaveProperty('replicas');
    expect(manifest.metadata).toEqual({
      name: 'payments-api',
      namespace: 'checkout-dev',
      labels: { 'paasport.io/resource-id': 'wl-1' },
    });
  });

  it('does not trust a record someone else wrote', () => {
    const fields = structuredClone(paasportFields) as any;
    delete fields['f:metadata']['f:annotations'];

    const manifest = appliedManifestOf(live(fields)) as any;

    expect(manifest.spec.template.spec.containers[0].resources.limits.cpu).toBe(
      '500m',
    );
    expect(manifest).not.toEqual(applied);
  });

  it('reads an object without a record as its managed fields', () => {
    const manifest = appliedManifestOf(
      live(paasportFields, o => {
        delete o.metadata.annotations;
      }),
    );

    expect(manifest.metadata).not.toHaveProperty('annotations');
    expect(manifest.spec).toMatchObject({ replicas: 2 });
  });
});
