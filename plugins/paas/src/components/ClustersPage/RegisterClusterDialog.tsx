import { useApi } from '@backstage/core-plugin-api';
import Dialog from '@material-ui/core/Dialog';
import DialogTitle from '@material-ui/core/DialogTitle';
import Grid from '@material-ui/core/Grid';
import InputAdornment from '@material-ui/core/InputAdornment';
import TextField from '@material-ui/core/TextField';
import { Cluster, CLUSTER_STATES } from '@paasport/plugin-paas-common';
import { useState } from 'react';
import { paasApiRef } from '../../api';
import { DialogForm } from '../common';
import { formatNumber } from '../QuotaBar';
import {
  CAPACITY_UNITS,
  ClusterField,
  ClusterFormState,
  emptyClusterForm,
  readCapacity,
  validateClusterForm,
} from './clusterForm';
import { STATE_DESCRIPTIONS } from './clusterStates';

/** `96 cores = 96,000 millicores`: what the backend receives, once a valid amount is typed. */
function converted(
  field: 'cpuCores' | 'memoryGib',
  text: string,
  storedUnit: string,
): string | undefined {
  const { amount } = readCapacity(text, CAPACITY_UNITS[field]);
  return amount === undefined
    ? undefined
    : `${text.trim()} ${CAPACITY_UNITS[field].inputUnit} = ${formatNumber(
        amount,
      )} ${storedUnit}`;
}

const Form = (props: {
  onClose: () => void;
  onRegistered: (cluster: Cluster) => void;
  onBusyChange: (busy: boolean) => void;
}) => {
  const paasApi = useApi(paasApiRef);
  const [form, setForm] = useState<ClusterFormState>(emptyClusterForm);
  const { request, errors } = validateClusterForm(form);
  // An empty field only keeps Register disabled; what was typed is explained.
  const errorOf = (name: ClusterField) =>
    form[name].trim() ? errors[name] : undefined;

  const field = (name: ClusterField) => ({
    id: `paas-cluster-${name}`,
    value: form[name],
    onChange: (event: { target: { value: string } }) => {
      const value = event.target.value;
      setForm(previous => ({ ...previous, [name]: value }));
    },
    error: Boolean(errorOf(name)),
    fullWidth: true,
    margin: 'normal' as const,
  });

  const submit = async () => {
    if (request) {
      props.onRegistered(await paasApi.registerCluster(request));
    }
  };

  return (
    <DialogForm
      description="Adds a cluster deployments can be scheduled onto. Clusters described by catalog Resources are registered by the catalog sync instead."
      submitLabel="Register"
      canSubmit={Boolean(request)}
      onSubmit={submit}
      onCancel={props.onClose}
      onBusyChange={props.onBusyChange}
    >
      <TextField
        {...field('name')}
        required
        label="Name"
        helperText={
          errorOf('name') ??
          'Lower-case letters, digits and dashes, e.g. eu-west-gpu; it cannot change later'
        }
        inputProps={{ maxLength: 63 }}
      />
      <TextField
        {...field('title')}
        label="Title (optional)"
        helperText={errorOf('title') ?? 'Shown instead of the name'}
        inputProps={{ maxLength: 255 }}
      />
      <Grid container spacing={2}>
        <Grid item xs={12} sm={4}>
          <TextField
            {...field('cpuCores')}
            required
            type="number"
            label="CPU (cores)"
            helperText={
              errorOf('cpuCores') ??
              converted('cpuCores', form.cpuCores, 'millicores') ??
              '1 core = 1,000 millicores'
            }
            InputProps={{
              endAdornment: (
                <InputAdornment position="end">cores</InputAdornment>
              ),
            }}
            inputProps={{ min: 0, step: 'any' }}
          />
        </Grid>
        <Grid item xs={12} sm={4}>
          <TextField
            {...field('memoryGib')}
            required
            type="number"
            label="Memory (GiB)"
            helperText={
              errorOf('memoryGib') ??
              converted('memoryGib', form.memoryGib, 'MiB') ??
              '1 GiB = 1,024 MiB'
            }
            InputProps={{
              endAdornment: <InputAdornment position="end">GiB</InputAdornment>,
            }}
            inputProps={{ min: 0, step: 'any' }}
          />
        </Grid>
        <Grid item xs={12} sm={4}>
          <TextField
            {...field('gpus')}
            type="number"
            label="GPUs"
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
          'e.g. nvidia-a100; deployments asking for this type are placed here'
        }
        inputProps={{ maxLength: 63 }}
      />
      <TextField
        {...field('labels')}
        label="Labels (optional)"
        helperText={
          errorOf('labels') ??
          'key=value pairs separated by commas, e.g. region=eu-west-1, environment=production; deployments’ placement labels must match them'
        }
      />
      <TextField
        {...field('state')}
        select
        label="Initial state"
        helperText={errorOf('state')}
        SelectProps={{ native: true }}
      >
        {CLUSTER_STATES.map(state => (
          <option key={state} value={state}>
            {state}: {STATE_DESCRIPTIONS[state]}
          </option>
        ))}
      </TextField>
    </DialogForm>
  );
};

/**
 * Registers a cluster (platform team), with its capacity typed in cores and GiB. The fields
 * are checked with the schema the backend applies; when the backend still refuses (the name
 * is taken, not allowed) its message is shown in the dialog.
 */
export const RegisterClusterDialog = (props: {
  open: boolean;
  onClose: () => void;
  onRegistered: (cluster: Cluster) => void;
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
      aria-labelledby="paas-register-cluster-title"
    >
      <DialogTitle id="paas-register-cluster-title">
        Register cluster
      </DialogTitle>
      {/* mounted only while open, so every opening starts from an empty form */}
      {props.open && (
        <Form
          onClose={close}
          onRegistered={props.onRegistered}
          onBusyChange={setBusy}
        />
      )}
    </Dialog>
  );
};
