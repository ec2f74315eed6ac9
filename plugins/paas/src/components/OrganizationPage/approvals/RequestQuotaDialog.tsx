import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import InputAdornment from '@material-ui/core/InputAdornment';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import {
  Approval,
  MAX_QUOTA_AMOUNT,
  Organization,
  QuotaLine,
} from '@paasport/plugin-paas-common';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { paasApiRef } from '../../../api';
import { errorMessage } from '../../../api/errors';
import {
  compareDimensions,
  describeDimension,
  parseAmount,
} from '../../QuotaBar';
import { DialogForm } from '../../common';

const Form = (props: {
  organization: Organization;
  lines: QuotaLine[];
  onClose: () => void;
  onRequested: (approval: Approval) => void;
}) => {
  const { organization, onClose, onRequested } = props;
  const paasApi = useApi(paasApiRef);
  const lines = [...props.lines].sort((a, b) =>
    compareDimensions(a.dimension, b.dimension),
  );
  const [dimension, setDimension] = useState(lines[0]?.dimension ?? '');
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');

  if (lines.length === 0) {
    return (
      <>
        <DialogContent>
          <Alert severity="info">
            {organization.title} has no limits yet. The platform team sets the
            first ones; once there is a limit you can ask for more of it.
          </Alert>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Close</Button>
        </DialogActions>
      </>
    );
  }

  const line = lines.find(l => l.dimension === dimension) ?? lines[0];
  const unit = describeDimension(line.dimension);
  const value = parseAmount(amount, unit.wholeInput);
  const limit = value === undefined ? undefined : unit.fromInput(value);
  const notHigher = limit !== undefined && limit <= line.limit;
  const tooLarge = limit !== undefined && limit > MAX_QUOTA_AMOUNT;
  const invalid =
    limit === undefined || notHigher || tooLarge || !reason.trim();

  let limitHelp = `Now ${unit.format(line.limit)}, of which ${unit.format(
    line.used,
  )} used`;
  if (amount && value === undefined) {
    limitHelp = unit.wholeInput
      ? 'A whole number of at least 0'
      : 'A number of at least 0';
  } else if (notHigher) {
    limitHelp = `More than the current ${unit.format(line.limit)}`;
  } else if (tooLarge) {
    limitHelp = 'Larger than any limit Paasport keeps';
  }

  const submit = async () => {
    if (limit === undefined) {
      return;
    }
    const approval = await paasApi.createQuotaRequest(organization.name, {
      dimension: line.dimension,
      limit,
      reason: reason.trim(),
    });
    onRequested(approval);
  };

  return (
    <DialogForm
      description={
        <>
          Asks the platform team for a higher limit of {organization.title}. The
          limit changes once they approve; you can follow the request in the
          Approvals tab.
        </>
      }
      submitLabel="Send request"
      canSubmit={!invalid}
      onSubmit={submit}
      onCancel={onClose}
    >
      <TextField
        select
        fullWidth
        margin="normal"
        id="paas-quota-request-dimension"
        label="Dimension"
        value={line.dimension}
        onChange={event => {
          setDimension(event.target.value);
          setAmount('');
        }}
        SelectProps={{ native: true }}
      >
        {lines.map(option => (
          <option key={option.dimension} value={option.dimension}>
            {describeDimension(option.dimension).label}
          </option>
        ))}
      </TextField>
      <TextField
        required
        fullWidth
        margin="normal"
        type="number"
        id="paas-quota-request-limit"
        label="New limit"
        value={amount}
        onChange={event => setAmount(event.target.value)}
        error={
          Boolean(amount) && (value === undefined || notHigher || tooLarge)
        }
        helperText={limitHelp}
        InputProps={{
          endAdornment: unit.inputUnit ? (
            <InputAdornment position="end">{unit.inputUnit}</InputAdornment>
          ) : undefined,
        }}
        inputProps={{ min: 0, step: unit.wholeInput ? 1 : 'any' }}
      />
      <TextField
        required
        fullWidth
        multiline
        minRows={2}
        margin="normal"
        id="paas-quota-request-reason"
        label="Reason"
        value={reason}
        onChange={event => setReason(event.target.value)}
        helperText="Why the organization needs more; the platform team reads it"
        inputProps={{ maxLength: 1000 }}
      />
    </DialogForm>
  );
};

const LoadingForm = (props: {
  organization: Organization;
  onClose: () => void;
  onRequested: (approval: Approval) => void;
}) => {
  const paasApi = useApi(paasApiRef);
  const org = props.organization.name;
  const quotas = useAsync(() => paasApi.getQuotas(org), [paasApi, org]);
  if (quotas.loading) {
    return (
      <DialogContent>
        <Progress />
      </DialogContent>
    );
  }
  if (quotas.error || !quotas.value) {
    return (
      <>
        <DialogContent>
          <Alert severity="error">
            Could not load the organization's limits:{' '}
            {errorMessage(quotas.error)}
          </Alert>
        </DialogContent>
        <DialogActions>
          <Button onClick={props.onClose}>Close</Button>
        </DialogActions>
      </>
    );
  }
  return <Form {...props} lines={quotas.value.lines} />;
};

/**
 * Asks the platform team for a higher organization limit: one of the organization's existing
 * quota lines, the new limit in human units (sent in the dimension's base unit) and a reason.
 * Loads the organization's lines itself unless they are given.
 */
export const RequestQuotaDialog = (props: {
  organization: Organization;
  open: boolean;
  /** The organization's own quota lines, when the caller has them already. */
  lines?: QuotaLine[];
  onClose: () => void;
  onRequested: (approval: Approval) => void;
}) => (
  <Dialog
    open={props.open}
    onClose={props.onClose}
    fullWidth
    maxWidth="sm"
    aria-labelledby="paas-request-quota-title"
  >
    <DialogTitle id="paas-request-quota-title">Request more quota</DialogTitle>
    {props.open &&
      (props.lines ? (
        <Form
          organization={props.organization}
          lines={props.lines}
          onClose={props.onClose}
          onRequested={props.onRequested}
        />
      ) : (
        <LoadingForm
          organization={props.organization}
          onClose={props.onClose}
          onRequested={props.onRequested}
        />
      ))}
  </Dialog>
);
