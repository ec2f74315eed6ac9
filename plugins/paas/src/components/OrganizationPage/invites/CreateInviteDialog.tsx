import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import FileCopyIcon from '@material-ui/icons/FileCopy';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import type {
  CreatedInviteCode,
  Organization,
} from '@paasport/plugin-paas-common';
import { useRef, useState } from 'react';
import { paasApiRef } from '../../../api';
import {
  DialogForm,
  ORGANIZATION_ROLES,
  OrganizationRole,
  ROLE_DESCRIPTIONS,
  Timestamp,
} from '../../common';

/** The backend refuses codes valid for longer than this (its `defaultExpiry` cap). */
const MAX_DAYS = 90;
const MAX_USES = 10000;

type FormState = { role: OrganizationRole; days: string; maxUses: string };

const emptyForm: FormState = { role: 'developer', days: '7', maxUses: '1' };

function wholeNumberIn(value: string, min: number, max: number) {
  if (!/^\d+$/.test(value.trim())) {
    return undefined;
  }
  const number = Number(value);
  return number >= min && number <= max ? number : undefined;
}

const CreatedCode = (props: {
  invite: CreatedInviteCode;
  organizationTitle: string;
}) => {
  const { invite, organizationTitle } = props;
  const [copied, setCopied] = useState<'yes' | 'failed'>();

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(invite.code);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };

  return (
    <>
      <Alert severity="warning">
        <AlertTitle>Copy the code now</AlertTitle>
        You will not see it again: Paasport shows an invite code only once,
        right after it is created. If it gets lost, revoke it and create a new
        one.
      </Alert>
      <Box display="flex" alignItems="center" mt={2} style={{ gap: 8 }}>
        <TextField
          fullWidth
          variant="outlined"
          id="paas-invite-code"
          label="Invite code"
          value={invite.code}
          InputProps={{
            readOnly: true,
            style: { fontFamily: 'monospace' },
          }}
          onFocus={event => event.target.select()}
        />
        <Button
          variant="contained"
          color="primary"
          startIcon={<FileCopyIcon />}
          onClick={copy}
        >
          {copied === 'yes' ? 'Copied' : 'Copy'}
        </Button>
      </Box>
      {copied === 'failed' && (
        <Alert severity="info">
          The browser did not allow copying: select the code and copy it by
          hand.
        </Alert>
      )}
      <DialogContentText component="div" style={{ marginTop: 16 }}>
        Whoever has it joins {organizationTitle} as <b>{invite.role}</b> on the
        "Join an organization" page. It works {invite.maxUses}{' '}
        {invite.maxUses === 1 ? 'time' : 'times'}, until{' '}
        <Timestamp value={invite.expiresAt} />.
      </DialogContentText>
    </>
  );
};

/**
 * Creates an invite code (role, days of validity, uses) and then shows the code once, with a
 * copy button. Closing the dialog forgets the code.
 */
export const CreateInviteDialog = (props: {
  open: boolean;
  organization: Organization;
  onClose: () => void;
  onCreated: () => void;
}) => {
  const { open, organization, onClose, onCreated } = props;
  const paasApi = useApi(paasApiRef);
  const [form, setForm] = useState<FormState>(emptyForm);
  // Only to refuse closing while the code is being created.
  const busy = useRef(false);
  const [created, setCreated] = useState<CreatedInviteCode>();

  const days = wholeNumberIn(form.days, 1, MAX_DAYS);
  const maxUses = wholeNumberIn(form.maxUses, 1, MAX_USES);

  const close = (_event?: unknown, reason?: string) => {
    // A stray click beside the dialog must not throw away a code that is shown only once.
    if (busy.current || (created && reason === 'backdropClick')) {
      return;
    }
    setForm(emptyForm);
    setCreated(undefined);
    onClose();
  };

  const submit = async () => {
    if (days === undefined || maxUses === undefined) {
      return;
    }
    const invite = await paasApi.createInvite(organization.name, {
      role: form.role,
      expiresIn: `P${days}D`,
      maxUses,
    });
    setCreated(invite);
    onCreated();
  };

  return (
    <Dialog
      open={open}
      onClose={close}
      fullWidth
      maxWidth="sm"
      aria-labelledby="paas-create-invite-title"
    >
      {created ? (
        <>
          <DialogTitle id="paas-create-invite-title">
            Invite code created
          </DialogTitle>
          <DialogContent>
            <CreatedCode
              invite={created}
              organizationTitle={organization.title}
            />
          </DialogContent>
          <DialogActions>
            <Button color="primary" onClick={() => close()}>
              Done
            </Button>
          </DialogActions>
        </>
      ) : (
        <DialogForm
          titleId="paas-create-invite-title"
          title="Create invite code"
          description={
            <>
              Anyone with the code can join {organization.title} with the role
              you choose, until it expires or its uses run out.
            </>
          }
          submitLabel="Create"
          canSubmit={days !== undefined && maxUses !== undefined}
          onSubmit={submit}
          onCancel={() => close()}
          onBusyChange={value => {
            busy.current = value;
          }}
        >
          <TextField
            select
            fullWidth
            margin="normal"
            id="paas-invite-role"
            label="Role"
            value={form.role}
            onChange={event =>
              setForm({
                ...form,
                role: event.target.value as OrganizationRole,
              })
            }
            SelectProps={{ native: true }}
          >
            {ORGANIZATION_ROLES.map(role => (
              <option key={role} value={role}>
                {ROLE_DESCRIPTIONS[role]}
              </option>
            ))}
          </TextField>
          <TextField
            required
            fullWidth
            margin="normal"
            type="number"
            id="paas-invite-days"
            label="Valid for (days)"
            value={form.days}
            onChange={event => setForm({ ...form, days: event.target.value })}
            error={days === undefined}
            helperText={`A whole number of days, 1 to ${MAX_DAYS}`}
            inputProps={{ min: 1, max: MAX_DAYS, step: 1 }}
          />
          <TextField
            required
            fullWidth
            margin="normal"
            type="number"
            id="paas-invite-max-uses"
            label="Maximum uses"
            value={form.maxUses}
            onChange={event =>
              setForm({ ...form, maxUses: event.target.value })
            }
            error={maxUses === undefined}
            helperText={`How many people can join with it, 1 to ${MAX_USES}`}
            inputProps={{ min: 1, max: MAX_USES, step: 1 }}
          />
        </DialogForm>
      )}
    </Dialog>
  );
};
