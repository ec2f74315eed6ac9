import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import type { Approval } from '@paasport/plugin-paas-common';
import { FormEvent, useState } from 'react';
import { describeApproval } from '../approvals';

const Form = (props: {
  approval: Approval;
  onCancel: () => void;
  onDeny: (reason: string) => Promise<void>;
}) => {
  const { approval } = props;
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!reason.trim()) {
      return;
    }
    setBusy(true);
    await props.onDeny(reason.trim());
  };

  return (
    <form onSubmit={submit} noValidate>
      <DialogTitle id="paas-deny-approval-title">
        Deny this request?
      </DialogTitle>
      <DialogContent>
        <DialogContentText>
          {describeApproval(approval)} for {approval.organization}. The
          requester reads your reason.
        </DialogContentText>
        <TextField
          required
          fullWidth
          multiline
          minRows={2}
          margin="normal"
          id="paas-deny-reason"
          label="Reason"
          value={reason}
          onChange={event => setReason(event.target.value)}
          helperText="A denial needs a reason, e.g. what to do instead"
          inputProps={{ maxLength: 1000 }}
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onCancel} disabled={busy}>
          Cancel
        </Button>
        <Button
          type="submit"
          color="secondary"
          variant="contained"
          disabled={busy || !reason.trim()}
          startIcon={busy ? <CircularProgress size={16} /> : undefined}
        >
          Deny
        </Button>
      </DialogActions>
    </form>
  );
};

/** Asks for the reason of a denial, which the requester will read. */
export const DenyDialog = (props: {
  /** Undefined while closed. */
  approval?: Approval;
  onCancel: () => void;
  /** Decides the approval; the dialog is closed by the caller once it settles. */
  onDeny: (reason: string) => Promise<void>;
}) => (
  <Dialog
    open={Boolean(props.approval)}
    onClose={props.onCancel}
    fullWidth
    maxWidth="sm"
    aria-labelledby="paas-deny-approval-title"
  >
    {props.approval && (
      <Form
        key={props.approval.id}
        approval={props.approval}
        onCancel={props.onCancel}
        onDeny={props.onDeny}
      />
    )}
  </Dialog>
);
