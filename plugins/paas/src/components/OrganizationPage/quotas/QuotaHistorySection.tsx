import {
  EmptyState,
  LinkButton,
  Progress,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Typography from '@material-ui/core/Typography';
import type { Organization, QuotaChange } from '@paasport/plugin-paas-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { paasApiRef } from '../../../api';
import { PrincipalLink, Timestamp, useOrganizationLink } from '../../common';
import { describeDimension } from '../../QuotaBar';
import { LoadFailure } from '../LoadFailure';
import { SectionHeader } from '../SectionHeader';
import { ORGANIZATION_TABS } from '../tabs';

function formatLimit(dimension: string, limit: number | undefined): string {
  return limit === undefined
    ? 'none'
    : describeDimension(dimension).format(limit);
}

const columns: TableColumn<QuotaChange>[] = [
  {
    title: 'When',
    field: 'createdAt',
    defaultSort: 'desc',
    render: change => <Timestamp value={change.createdAt} />,
  },
  {
    title: 'Who',
    field: 'changedBy',
    render: change => <PrincipalLink principal={change.changedBy} />,
  },
  {
    title: 'Quota of',
    field: 'team',
    render: change => (change.team ? `team ${change.team}` : 'organization'),
  },
  {
    title: 'Dimension',
    field: 'dimension',
    render: change => describeDimension(change.dimension).label,
  },
  {
    title: 'Change',
    sorting: false,
    render: change =>
      `${formatLimit(change.dimension, change.previousLimit)} → ${formatLimit(
        change.dimension,
        change.newLimit,
      )}`,
  },
  {
    title: 'Reason',
    field: 'reason',
    sorting: false,
    render: change =>
      change.reason || (
        <Typography variant="body2" color="textSecondary">
          none given
        </Typography>
      ),
  },
];

/** Who changed which limit of the organization or its teams, when, and why. */
export const QuotaHistorySection = (props: { organization: Organization }) => {
  const org = props.organization.name;
  const paasApi = useApi(paasApiRef);
  const organizationLink = useOrganizationLink();
  const changes = useAsyncRetry(
    () => paasApi.listQuotaChanges(org),
    [paasApi, org],
  );

  let content;
  if (changes.loading && !changes.value) {
    content = <Progress />;
  } else if (changes.error) {
    content = (
      <LoadFailure
        error={changes.error}
        title="Could not load the quota history"
        onRetry={changes.retry}
      />
    );
  } else if (!changes.value?.length) {
    content = (
      <EmptyState
        missing="data"
        title="No quota changes yet"
        description="Every change of the organization's or a team's limit will be listed here, with who made it and why."
        action={
          organizationLink ? (
            <LinkButton
              variant="contained"
              color="primary"
              to={organizationLink(org, ORGANIZATION_TABS.quotas)}
            >
              Go to quotas
            </LinkButton>
          ) : undefined
        }
      />
    );
  } else {
    const rows = changes.value.map(change => ({ ...change }));
    content = (
      <Table<QuotaChange>
        title={`Quota changes (${rows.length})`}
        columns={columns}
        data={rows}
        options={{
          search: rows.length > 10,
          paging: rows.length > 20,
          pageSize: 20,
          padding: 'dense',
        }}
      />
    );
  }

  return (
    <>
      <SectionHeader
        title="Quota history"
        description="Every change of a limit, newest first."
      />
      {content}
    </>
  );
};
