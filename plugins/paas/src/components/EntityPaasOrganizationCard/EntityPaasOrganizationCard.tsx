import {
  EmptyState,
  Link,
  LinkButton,
  Progress,
  ResponseErrorPanel,
  StructuredMetadataTable,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  EntityInfoCard,
  EntityRefLink,
  useEntity,
} from '@backstage/plugin-catalog-react';
import type { Organization } from '@paasport/plugin-paas-common';
import useAsync from 'react-use/esm/useAsync';
import { PAAS_ORGANIZATION_ANNOTATION } from '@paasport/plugin-paas-common';
import { paasApiRef } from '../../api';
import {
  PrincipalLink,
  Timestamp,
  useOrganizationLink,
  usePaasportPageLink,
} from '../common';
import { findGroupOrganization } from './findGroupOrganization';

const CARD_TITLE = 'Paasport organization';

const OrganizationDetails = (props: { organization: Organization }) => {
  const { organization } = props;
  const metadata: Record<string, JSX.Element | string> = {
    Title: organization.title,
    Name: organization.name,
  };
  if (organization.description) {
    metadata.Description = organization.description;
  }
  metadata['Catalog group'] = organization.groupRef ? (
    <>
      adopted: <EntityRefLink entityRef={organization.groupRef} />
    </>
  ) : (
    'published by Paasport'
  );
  metadata['Created by'] = <PrincipalLink principal={organization.createdBy} />;
  metadata['Created at'] = <Timestamp value={organization.createdAt} />;
  return <StructuredMetadataTable dense metadata={metadata} />;
};

/**
 * Shows the Paasport organization behind a Group entity, or says that Paasport does not
 * manage the group.
 *
 * @public
 */
export const EntityPaasOrganizationCard = () => {
  const { entity } = useEntity();
  const paasApi = useApi(paasApiRef);
  const pageLink = usePaasportPageLink();
  const organizationLink = useOrganizationLink();
  const { value, loading, error } = useAsync(
    () => findGroupOrganization(paasApi, entity),
    [paasApi, entity],
  );

  if (loading) {
    return (
      <EntityInfoCard title={CARD_TITLE}>
        <Progress />
      </EntityInfoCard>
    );
  }

  if (error) {
    return (
      <EntityInfoCard title={CARD_TITLE}>
        <ResponseErrorPanel
          error={error}
          title="Could not load the Paasport organization"
        />
      </EntityInfoCard>
    );
  }

  if (!value) {
    const annotated =
      entity.metadata.annotations?.[PAAS_ORGANIZATION_ANNOTATION];
    return (
      <EntityInfoCard title={CARD_TITLE}>
        <EmptyState
          missing="info"
          title="Not managed by Paasport"
          description={
            annotated ? (
              <>
                This group names the organization <code>{annotated}</code>,
                which Paasport does not know (any more). A platform admin can
                recreate it, or adopt this group, on the Paasport page.
              </>
            ) : (
              'No Paasport organization manages this group, so it has no quota and cannot provision infrastructure. A platform admin can adopt it as an organization on the Paasport page.'
            )
          }
          action={
            pageLink ? (
              <LinkButton variant="outlined" color="primary" to={pageLink}>
                Go to Paasport
              </LinkButton>
            ) : undefined
          }
        />
      </EntityInfoCard>
    );
  }

  // members, teams, invite codes and quotas are managed on the organization's page
  const footer = organizationLink ? (
    <Link to={organizationLink(value.name)}>Open in Paasport</Link>
  ) : undefined;

  return (
    <EntityInfoCard title={CARD_TITLE} footerActions={footer}>
      <OrganizationDetails organization={value} />
    </EntityInfoCard>
  );
};
