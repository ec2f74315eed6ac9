import Dialog from '@material-ui/core/Dialog';
import TextField from '@material-ui/core/TextField';
import type { Approval } from '@paasport/plugin-paas-common';
import { useState } from 'react';
import { describeApproval } from '../approvals';
import { DialogForm } from '../common';

const Form = (props: {
  approval: Approval;
  onCancel: () => void;
  onDeny: (reason: string) => Promise<void>;
}) => {
  const { approval } = props;
  const [reason, setReason] = useState('');

  return (
    <DialogForm
      titleId="paas-deny-approval-title"
      title="Deny this request?"
      description={
        <>
          {describeApproval(approval)} for {approval.organization}. The
          requester reads your reason.
        </>
      }
      submitLabel="Deny"
      submitColor="secondary"
      canSubmit={Boolean(reason.trim())}
      onSubmit={() => props.onDeny(reason.trim())}
      onCancel={props.onCancel}
    >
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
    </DialogForm>
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
