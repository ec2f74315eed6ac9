import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  ANNOTATION_VIEW_URL,
  ResourceEntity,
} from '@backstage/catalog-model';
import {
  ManagedResource,
  PAAS_ORGANIZATION_ANNOTATION,
  PAAS_TEAM_ANNOTATION,
  ResourcePhase,
} from '@paasport/plugin-paas-common';
import { resourceEntityName } from './resourceEntityName';
import { outputLinks, paasportOrganizationUrl } from './resourceLinks';
import { confirmedSafeguards } from './resourceSafeguards';
import { resourceEntityType, resourceKindLabel } from './resourceTypes';

/** Annotation with the managed resource's id in Paasport. */
const PAAS_RESOURCE_ID_ANNOTATION = 'paasport.io/resource-id';
/** Annotation with the managed resource's kind, such as `aws:s3-bucket`. */
const PAAS_KIND_ANNOTATION = 'paasport.io/kind';
/** Label with the managed resource's phase, such as `ready`, to filter the catalog by. */
const PAAS_PHASE_LABEL = 'paasport.io/phase';

/** A managed resource as a catalog Resource, owned by its team's group. */
export function toResourceEntity(
  resource: ManagedResource,
  options: {
    /** Recorded in the location annotations. */
    location: string;
    /** Base URL of the Backstage app, for the link to Paasport. */
    appBaseUrl?: string;
  },
): ResourceEntity {
  const portalUrl = paasportOrganizationUrl(
    options.appBaseUrl,
    resource.organization,
  );
  const safeguards = confirmedSafeguards(resource.conditions);
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: resourceEntityName(resource),
      namespace: 'default',
      title: resource.name,
      description: describe(resource, safeguards),
      labels: { [PAAS_PHASE_LABEL]: resource.phase },
      annotations: {
        [ANNOTATION_LOCATION]: options.location,
        [ANNOTATION_ORIGIN_LOCATION]: options.location,
        ...(portalUrl ? { [ANNOTATION_VIEW_URL]: portalUrl } : {}),
        [PAAS_RESOURCE_ID_ANNOTATION]: resource.id,
        [PAAS_ORGANIZATION_ANNOTATION]: resource.organization,
        [PAAS_TEAM_ANNOTATION]: resource.team,
        [PAAS_KIND_ANNOTATION]: resource.kind,
      },
      tags: safeguards.map(s => s.tag),
      links: [
        ...outputLinks(resource.outputs),
        ...(portalUrl ? [{ url: portalUrl, title: 'Paasport' }] : []),
      ],
    },
    spec: {
      type: resourceEntityType(resource.kind),
      owner: resource.owner,
      ...(resource.component ? { dependencyOf: [resource.component] } : {}),
    },
  };
}

/** How a phase other than `ready` reads after the resource's name. */
const PHASE_WORDS: Partial<Record<ResourcePhase, string>> = {
  'pending-approval': 'waiting for approval',
  provisioning: 'being provisioned',
  failed: 'failed',
  deleting: 'being deleted',
};

/**
 * Such as `S3 bucket acme-checkout-assets, managed by Paasport. Public access blocked,
 * encrypted.`, with the phase when the resource is not ready.
 */
function describe(
  resource: ManagedResource,
  safeguards: { words: string }[],
): string {
  const phase = PHASE_WORDS[resource.phase];
  const sentences = [
    `${resourceKindLabel(resource.kind)} ${
      resource.externalName
    }, managed by Paasport${phase ? `, ${phase}` : ''}.`,
  ];
  if (safeguards.length > 0) {
    const told = safeguards.map(s => s.words).join(', ');
    sentences.push(`${told.charAt(0).toUpperCase()}${told.slice(1)}.`);
  }
  return sentences.join(' ');
}
