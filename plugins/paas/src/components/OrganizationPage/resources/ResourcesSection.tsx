import {
  EmptyState,
  LinkButton,
  Progress,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import TextField from '@material-ui/core/TextField';
import AddIcon from '@material-ui/icons/Add';
import Alert from '@material-ui/lab/Alert';
import {
  ManagedResource,
  Organization,
  paasResourceCreatePermission,
  RESOURCE_KINDS,
  ResourceKind,
} from '@paasport/plugin-paas-common';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { paasApiRef } from '../../../api';
import { errorMessage } from '../../../api/errors';
import {
  ConfirmDialog,
  EventsDialog,
  LoadEvents,
  resourceKindName,
} from '../../common';
import { describeDimension } from '../../QuotaBar';
import { LoadFailure } from '../LoadFailure';
import { SectionHeader } from '../SectionHeader';
import { useReloadWhile } from '../useReloadWhile';
import {
  NameCell,
  OutputsCell,
  PhaseCell,
  ResourceActions,
} from './ResourceCells';
import {
  ageOf,
  CHANGING_PHASES,
  describeDeletion,
  resourceName,
} from './resourceText';

/**
 * Where resources are requested: the scaffolder's templates. The plugin has no external route
 * for it, so this is the path the Backstage app mounts it at by default.
 */
const SCAFFOLDER_PATH = '/create';

const loadResourceEvents: LoadEvents = (api, id) => api.listResourceEvents(id);

type Row = ManagedResource & { kindName: string };

const RequestButton = (props: { label: string }) => (
  <LinkButton
    variant="contained"
    color="primary"
    startIcon={<AddIcon />}
    to={SCAFFOLDER_PATH}
  >
    {props.label}
  </LinkButton>
);

/**
 * The organization's managed resources (buckets, tables, queues, namespaces...): phase and why
 * it is not ready, key outputs, cost and age; History, Retry and Delete on each. Requests go
 * through the software templates. Reloads every 10 s while one is provisioning or deleting.
 */
export const ResourcesSection = (props: { organization: Organization }) => {
  const org = props.organization.name;
  const paasApi = useApi(paasApiRef);
  const { allowed: canRequest } = usePermission({
    permission: paasResourceCreatePermission,
    resourceRef: org,
  });
  const [team, setTeam] = useState('');
  const [kind, setKind] = useState<ResourceKind | ''>('');
  const teams = useAsync(() => paasApi.listTeams(org), [paasApi, org]);
  const resources = useAsyncRetry(
    () =>
      paasApi.listResources(org, {
        team: team || undefined,
        kind: kind || undefined,
      }),
    [paasApi, org, team, kind],
  );
  const refresh = resources.retry;
  const [busy, setBusy] = useState<string>();
  const [failure, setFailure] = useState<string>();
  const [done, setDone] = useState<string>();
  const [history, setHistory] = useState<ManagedResource>();
  const [deleting, setDeleting] = useState<ManagedResource>();

  useReloadWhile(
    Boolean(resources.value?.some(r => CHANGING_PHASES.includes(r.phase))),
    refresh,
  );

  const retry = async (resource: ManagedResource) => {
    setBusy(resource.id);
    setFailure(undefined);
    setDone(undefined);
    try {
      await paasApi.retryResource(resource.id);
      setDone(`${resourceName(resource)} is provisioning again.`);
    } catch (error) {
      setFailure(
        `Could not retry ${resourceName(resource)}: ${errorMessage(error)}`,
      );
    } finally {
      setBusy(undefined);
      refresh();
    }
  };

  const columns: TableColumn<Row>[] = [
    { title: 'Kind', field: 'kindName' },
    {
      title: 'Name',
      field: 'name',
      highlight: true,
      render: row => <NameCell resource={row} />,
    },
    { title: 'Team', field: 'team' },
    {
      title: 'Phase',
      field: 'phase',
      render: row => <PhaseCell resource={row} />,
    },
    {
      title: 'Outputs',
      sorting: false,
      render: row => <OutputsCell resource={row} />,
    },
    {
      title: 'Monthly cost',
      field: 'monthlyCost',
      type: 'numeric',
      render: row =>
        describeDimension('budget-monthly').format(row.monthlyCost),
    },
    {
      title: 'Component',
      field: 'component',
      render: row =>
        row.component ? (
          <EntityRefLink entityRef={row.component} defaultKind="component" />
        ) : null,
    },
    {
      title: 'Age',
      field: 'createdAt',
      defaultSort: 'desc',
      render: row => (
        <time dateTime={row.createdAt} title={row.createdAt}>
          {ageOf(row.createdAt)}
        </time>
      ),
    },
    {
      title: '',
      sorting: false,
      render: row => (
        <ResourceActions
          resource={row}
          busy={busy === row.id}
          onHistory={() => setHistory(row)}
          onRetry={() => retry(row)}
          onDelete={() => setDeleting(row)}
        />
      ),
    },
  ];

  const filtered = Boolean(team || kind);
  let content;
  if (resources.loading && !resources.value) {
    content = <Progress />;
  } else if (resources.error) {
    content = (
      <LoadFailure
        error={resources.error}
        title="Could not load the resources"
        onRetry={refresh}
      />
    );
  } else if (!resources.value?.length) {
    content = filtered ? (
      <EmptyState
        missing="data"
        title="No resources match"
        description="No resource of the organization matches the team and kind chosen; choose all teams or all kinds to see the others."
      />
    ) : (
      <EmptyState
        missing="data"
        title="No resources yet — request one from a template"
        description="Buckets, tables, queues and namespaces are requested through the software templates; Paasport creates them within the team's quota and lists them here."
        action={
          canRequest ? <RequestButton label="Request a resource" /> : undefined
        }
      />
    );
  } else {
    const rows: Row[] = resources.value.map(resource => ({
      ...resource,
      kindName: resourceKindName(resource.kind),
    }));
    content = (
      <Table<Row>
        title={`Resources (${rows.length})`}
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
        title="Resources"
        description="Cloud resources and namespaces Paasport manages for the organization's teams, and what each costs a month."
      >
        <TextField
          select
          size="small"
          variant="outlined"
          id="paas-resources-team"
          label="Team"
          value={team}
          onChange={event => setTeam(event.target.value)}
          SelectProps={{ native: true }}
          // The empty choice ("All …") has text, so the label must not sit on top of it.
          InputLabelProps={{ shrink: true }}
        >
          <option value="">All teams</option>
          {(teams.value ?? []).map(option => (
            <option key={option.name} value={option.name}>
              {option.title ?? option.name}
            </option>
          ))}
        </TextField>
        <TextField
          select
          size="small"
          variant="outlined"
          id="paas-resources-kind"
          label="Kind"
          value={kind}
          onChange={event => setKind(event.target.value as ResourceKind | '')}
          SelectProps={{ native: true }}
          // The empty choice ("All …") has text, so the label must not sit on top of it.
          InputLabelProps={{ shrink: true }}
        >
          <option value="">All kinds</option>
          {RESOURCE_KINDS.map(option => (
            <option key={option} value={option}>
              {resourceKindName(option)}
            </option>
          ))}
        </TextField>
        {canRequest && <RequestButton label="Request a resource" />}
      </SectionHeader>
      {done && (
        <Box mb={2}>
          <Alert severity="success" onClose={() => setDone(undefined)}>
            {done}
          </Alert>
        </Box>
      )}
      {failure && (
        <Box mb={2}>
          <Alert severity="error" onClose={() => setFailure(undefined)}>
            {failure}
          </Alert>
        </Box>
      )}
      {content}
      <EventsDialog
        subject={history && { id: history.id, name: resourceName(history) }}
        load={loadResourceEvents}
        onClose={() => setHistory(undefined)}
      />
      <ConfirmDialog
        open={Boolean(deleting)}
        title="Delete resource"
        confirmLabel="Delete"
        onClose={() => setDeleting(undefined)}
        onConfirm={async () => {
          if (deleting) {
            const deleted = await paasApi.deleteResource(deleting.id);
            setFailure(undefined);
            setDone(
              deleted.phase === 'deleted'
                ? `${resourceName(deleting)} is deleted.`
                : `${resourceName(deleting)} is being deleted.`,
            );
            refresh();
          }
        }}
      >
        {deleting && (
          <>
            Delete the {resourceKindName(deleting.kind)}{' '}
            <strong>{resourceName(deleting)}</strong> ({deleting.phase})?{' '}
            {describeDeletion(deleting)}
          </>
        )}
      </ConfirmDialog>
    </>
  );
};
