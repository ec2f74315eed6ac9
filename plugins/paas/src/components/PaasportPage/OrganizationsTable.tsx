import { Link, Table, TableColumn } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import type { Organization } from '@paasport/plugin-paas-common';
import { PrincipalLink, Timestamp, useOrganizationLink } from '../common';

const columns = (
  organizationLink?: (name: string) => string,
): TableColumn<Organization>[] => [
  {
    title: 'Name',
    field: 'name',
    highlight: true,
    render: organization =>
      organizationLink ? (
        <Link to={organizationLink(organization.name)}>
          {organization.name}
        </Link>
      ) : (
        organization.name
      ),
  },
  {
    title: 'Title',
    field: 'title',
    render: organization => (
      <>
        {organization.title}
        {organization.description && (
          <Typography variant="body2" color="textSecondary">
            {organization.description}
          </Typography>
        )}
      </>
    ),
  },
  {
    title: 'Adopted group',
    field: 'groupRef',
    render: organization =>
      organization.groupRef ? (
        <EntityRefLink entityRef={organization.groupRef} defaultKind="group" />
      ) : (
        <Typography variant="body2" color="textSecondary">
          none
        </Typography>
      ),
  },
  {
    title: 'Created by',
    field: 'createdBy',
    render: organization => (
      <PrincipalLink principal={organization.createdBy} />
    ),
  },
  {
    title: 'Created at',
    field: 'createdAt',
    defaultSort: 'desc',
    render: organization => <Timestamp value={organization.createdAt} />,
  },
];

/** The Paasport organizations, newest first. */
export const OrganizationsTable = (props: {
  organizations: Organization[];
}) => {
  const organizationLink = useOrganizationLink();
  // material-table writes its bookkeeping into the rows; keep the caller's objects clean.
  const data = props.organizations.map(organization => ({ ...organization }));
  return (
    <Table<Organization>
      title={`Organizations (${data.length})`}
      columns={columns(organizationLink)}
      data={data}
      options={{
        search: data.length > 5,
        paging: data.length > 20,
        pageSize: 20,
        padding: 'dense',
      }}
    />
  );
};
