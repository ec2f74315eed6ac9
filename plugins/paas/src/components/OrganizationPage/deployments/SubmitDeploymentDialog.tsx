import { Link, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormHelperText from '@material-ui/core/FormHelperText';
import Grid from '@material-ui/core/Grid';
import InputAdornment from '@material-ui/core/InputAdornment';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  Deployment,
  deploymentTotals,
  Organization,
  PriorityClasses,
  Team,
} from '@paasport/plugin-paas-common';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { paasApiRef } from '../../../api';
import { errorMessage } from '../../../api/errors';
import { DialogForm, useOrganizationLink } from '../../common';
import { describeDimension } from '../../QuotaBar';
import { ORGANIZATION_TABS } from '../tabs';
import {
  emptyForm,
  Field,
  FormState,
  toNumber,
  validateDeploymentForm,
} from './deploymentForm';
import { describeReplicaRequest } from './deploymentText';

/** The priority class the backend offers as its default, if it is one of the classes offered. */
function defaultClass(classes: PriorityClasses | undefined): string {
  return classes?.items.some(item => item.name === classes.default)
    ? classes.default
    : '';
}

function perReplica(dimension: string, text: string): string | undefined {
  const value = toNumber(text);
  return value !== undefined && Number.isInteger(value) && value > 0
    ? `${describeDimension(dimension).format(value)} per replica`
    : undefined;
}

const Form = (props: {
  organization: Organization;
  teams: Team[];
  /** Undefined when they could not be loaded: the backend then picks its default class. */
  priorityClasses?: PriorityClasses;
  priorityClassesError?: Error;
  onClose: () => void;
  onSubmitted: (deployment: Deployment) => void;
  onBusyChange: (busy: boolean) => void;
}) => {
  const { organization, teams, priorityClasses, onClose, onSubmitted } = props;
  const paasApi = useApi(paasApiRef);
  const [form, setForm] = useState<FormState>({
    ...emptyForm,
    team: teams[0].name,
    priorityClass: defaultClass(priorityClasses),
  });
  const [writableRootFilesystem, setWritableRootFilesystem] = useState(false);
  const { request, errors } = validateDeploymentForm(form);
  // An empty field only keeps Deploy disabled; what was typed is explained.
  const errorOf = (field: Field) =>
    form[field].trim() ? errors[field] : undefined;

  const update = (field: Field) => (event: { target: { value: string } }) =>
    setForm(previous => ({ ...previous, [field]: event.target.value }));

  const submit = async () => {
    if (!request) {
      return;
    }
    onSubmitted(
      await paasApi.submitDeployment(organization.name, {
        ...request,
        ...(writableRootFilesystem ? { writableRootFilesystem } : {}),
      }),
    );
  };

  const field = (name: Field) => ({
    id: `paas-deployment-${name}`,
    value: form[name],
    onChange: update(name),
    error: Boolean(errorOf(name)),
    fullWidth: true,
    margin: 'normal' as const,
  });

  return (
    <DialogForm
      description={
        <>
          Runs a container image for a team of {organization.title}. It queues
          until the team's quota and a cluster's capacity allow, higher priority
          classes first; policy may ask for an approval before it queues.
        </>
      }
      submitLabel="Deploy"
      canSubmit={Boolean(request)}
      onSubmit={submit}
      onCancel={onClose}
      onBusyChange={props.onBusyChange}
    >
      <TextField
        {...field('team')}
        select
        required
        label="Team"
        SelectProps={{ native: true }}
      >
        {teams.map(team => (
          <option key={team.name} value={team.name}>
            {team.title === team.name
              ? team.name
              : `${team.title} (${team.name})`}
          </option>
        ))}
      </TextField>
      <TextField
        {...field('name')}
        required
        label="Name"
        helperText={
          errorOf('name') ?? 'Lower-case letters, digits and dashes, e.g. api'
        }
        inputProps={{ maxLength: 63 }}
      />
      <TextField
        {...field('image')}
        required
        label="Image"
        helperText={errorOf('image') ?? 'e.g. ghcr.io/acme/checkout:1.4.2'}
        inputProps={{ maxLength: 512 }}
      />
      <Grid container spacing={2}>
        <Grid item xs={12} sm={6}>
          <TextField
            {...field('replicas')}
            required
            type="number"
            label="Replicas"
            helperText={errorOf('replicas') ?? 'How many copies run'}
            inputProps={{ min: 1, step: 1 }}
          />
        </Grid>
        <Grid item xs={12} sm={6}>
          <TextField
            {...field('cpuMillicores')}
            required
            type="number"
            label="CPU per replica"
            helperText={
              errorOf('cpuMillicores') ??
              perReplica('cpu-millicores', form.cpuMillicores) ??
              '1000 millicores are one core'
            }
            InputProps={{
              endAdornment: (
                <InputAdornment position="end">millicores</InputAdornment>
              ),
            }}
            inputProps={{ min: 1, step: 1 }}
          />
        </Grid>
        <Grid item xs={12} sm={6}>
          <TextField
            {...field('memoryMib')}
            required
            type="number"
            label="Memory per replica"
            helperText={
              errorOf('memoryMib') ??
              perReplica('memory-mib', form.memoryMib) ??
              '1024 MiB are one GiB'
            }
            InputProps={{
              endAdornment: <InputAdornment position="end">MiB</InputAdornment>,
            }}
            inputProps={{ min: 1, step: 1 }}
          />
        </Grid>
        <Grid item xs={12} sm={6}>
          <TextField
            {...field('gpus')}
            type="number"
            label="GPUs per replica"
            helperText={errorOf('gpus') ?? '0 for none'}
            inputProps={{ min: 0, step: 1 }}
          />
        </Grid>
      </Grid>
      <TextField
        {...field('gpuType')}
        label="GPU type (optional)"
        helperText={
          errorOf('gpuType') ??
          'Only with GPUs, e.g. nvidia-a100; any type when empty'
        }
        inputProps={{ maxLength: 63 }}
      />
      <TextField
        {...field('priorityClass')}
        select
        label="Priority class"
        disabled={!priorityClasses?.items.length}
        helperText={
          props.priorityClassesError
            ? `Could not load the priority classes (${errorMessage(
                props.priorityClassesError,
              )}); the backend will use its default class.`
            : errorOf('priorityClass') ??
              'Higher classes are admitted first and may preempt lower ones'
        }
        // A native select always shows a value, so the label must stay above it.
        InputLabelProps={{ shrink: true }}
        SelectProps={{ native: true }}
      >
        {!defaultClass(priorityClasses) && (
          <option value="">the backend's default</option>
        )}
        {priorityClasses?.items.map(({ name }) => (
          <option key={name} value={name}>
            {name === priorityClasses.default ? `${name} (default)` : name}
          </option>
        ))}
      </TextField>
      <TextField
        {...field('placement')}
        label="Placement labels"
        helperText={
          errorOf('placement') ??
          'Labels a cluster must have, environment among them: key=value pairs separated by commas, e.g. environment=dev, region=eu-west-1'
        }
      />
      <TextField
        {...field('reason')}
        multiline
        minRows={2}
        label="Reason (optional)"
        helperText={
          errorOf('reason') ??
          'Shown to approvers when policy asks for an approval'
        }
        inputProps={{ maxLength: 1000 }}
      />
      <FormControlLabel
        control={
          <Checkbox
            id="paas-deployment-writableRootFilesystem"
            checked={writableRootFilesystem}
            onChange={event => setWritableRootFilesystem(event.target.checked)}
          />
        }
        label="Writable root filesystem"
      />
      <FormHelperText>
        Containers run with a read-only root filesystem and a scratch /tmp.
        Check only for an image that must write elsewhere.
      </FormHelperText>
      {request && (
        <Typography variant="body2" color="textSecondary">
          Asks for{' '}
          {describeReplicaRequest({
            resources: deploymentTotals(request),
            gpuType: request.gpuType,
          })}{' '}
          in total.
        </Typography>
      )}
    </DialogForm>
  );
};

const NoTeams = (props: { organization: string; onClose: () => void }) => {
  const organizationLink = useOrganizationLink();
  return (
    <>
      <DialogContent>
        <Alert severity="info">
          A deployment belongs to a team, and this organization has none yet.{' '}
          {organizationLink && (
            <Link
              to={organizationLink(props.organization, ORGANIZATION_TABS.teams)}
            >
              Create a team first.
            </Link>
          )}
        </Alert>
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Close</Button>
      </DialogActions>
    </>
  );
};

const LoadingForm = (props: {
  organization: Organization;
  onClose: () => void;
  onSubmitted: (deployment: Deployment) => void;
  onBusyChange: (busy: boolean) => void;
}) => {
  const paasApi = useApi(paasApiRef);
  const org = props.organization.name;
  const teams = useAsync(() => paasApi.listTeams(org), [paasApi, org]);
  // optional: without them the backend still applies its default class
  const priorityClasses = useAsync(
    () => paasApi.getPriorityClasses(),
    [paasApi],
  );
  if (teams.loading || priorityClasses.loading) {
    return (
      <DialogContent>
        <Progress />
      </DialogContent>
    );
  }
  if (teams.error || !teams.value) {
    return (
      <>
        <DialogContent>
          <Alert severity="error">
            Could not load the organization's teams: {errorMessage(teams.error)}
          </Alert>
        </DialogContent>
        <DialogActions>
          <Button onClick={props.onClose}>Close</Button>
        </DialogActions>
      </>
    );
  }
  if (teams.value.length === 0) {
    return <NoTeams organization={org} onClose={props.onClose} />;
  }
  return (
    <Form
      {...props}
      teams={teams.value}
      priorityClasses={priorityClasses.value}
      priorityClassesError={priorityClasses.error}
    />
  );
};

/**
 * Submits a deployment for one of the organization's teams, in one of the priority classes the
 * backend serves (its default preselected). The fields are checked with the schema the backend
 * applies; when the backend still refuses (a name taken, nothing that could ever hold it, a
 * viewer) its message is shown in the dialog.
 */
export const SubmitDeploymentDialog = (props: {
  organization: Organization;
  open: boolean;
  onClose: () => void;
  onSubmitted: (deployment: Deployment) => void;
}) => {
  const [busy, setBusy] = useState(false);
  const close = () => {
    if (!busy) {
      props.onClose();
    }
  };
  return (
    <Dialog
      open={props.open}
      onClose={close}
      fullWidth
      maxWidth="sm"
      aria-labelledby="paas-submit-deployment-title"
    >
      <DialogTitle id="paas-submit-deployment-title">Deploy</DialogTitle>
      {/* mounted only while open, so every opening starts from an empty form */}
      {props.open && (
        <LoadingForm
          organization={props.organization}
          onClose={close}
          onSubmitted={props.onSubmitted}
          onBusyChange={setBusy}
        />
      )}
    </Dialog>
  );
};
