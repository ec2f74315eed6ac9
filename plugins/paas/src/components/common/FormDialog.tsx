import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import Alert from '@material-ui/lab/Alert';
import { FormEvent, ReactNode, useState } from 'react';
import { errorMessage } from '../../api/errors';

/** Props of {@link DialogForm}. */
export type DialogFormProps = {
  /** Left out when the surrounding dialog shows its own title. */
  title?: ReactNode;
  /** The id of the title, for the dialog's `aria-labelledby`. */
  titleId?: string;
  /** Introduction above the error and the fields. */
  description?: ReactNode;
  /** The fields. */
  children: ReactNode;
  submitLabel: string;
  submitColor?: 'primary' | 'secondary';
  /** Whether the fields are complete; the dialog itself blocks submitting while busy. */
  canSubmit: boolean;
  /**
   * Does the work. A rejection keeps the form open with the backend's message; a resolution
   * leaves closing (or showing a result) to the caller.
   */
  onSubmit: () => Promise<void>;
  onCancel: () => void;
  /** Told when a submission starts and settles, e.g. to refuse closing the dialog meanwhile. */
  onBusyChange?: (busy: boolean) => void;
};

function useSubmission(
  props: Pick<DialogFormProps, 'canSubmit' | 'onSubmit' | 'onBusyChange'>,
) {
  const { canSubmit, onSubmit, onBusyChange } = props;
  const [busy, setBusyState] = useState(false);
  const [failure, setFailure] = useState<string>();

  const setBusy = (value: boolean) => {
    setBusyState(value);
    onBusyChange?.(value);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy || !canSubmit) {
      return;
    }
    setFailure(undefined);
    setBusy(true);
    try {
      await onSubmit();
      setBusy(false);
    } catch (error) {
      setBusy(false);
      setFailure(errorMessage(error));
    }
  };

  return { busy, failure, clearFailure: () => setFailure(undefined), submit };
}

const Layout = (
  props: Omit<DialogFormProps, 'onSubmit' | 'onBusyChange'> & {
    busy: boolean;
    failure?: string;
    onFormSubmit: (event: FormEvent) => void;
  },
) => (
  <form onSubmit={props.onFormSubmit} noValidate>
    {props.title && <DialogTitle id={props.titleId}>{props.title}</DialogTitle>}
    <DialogContent>
      {props.description && (
        <DialogContentText>{props.description}</DialogContentText>
      )}
      {props.failure && <Alert severity="error">{props.failure}</Alert>}
      {props.children}
    </DialogContent>
    <DialogActions>
      <Button onClick={props.onCancel} disabled={props.busy}>
        Cancel
      </Button>
      <Button
        type="submit"
        color={props.submitColor ?? 'primary'}
        variant="contained"
        disabled={props.busy || !props.canSubmit}
        startIcon={props.busy ? <CircularProgress size={16} /> : undefined}
      >
        {props.submitLabel}
      </Button>
    </DialogActions>
  </form>
);

/**
 * The form of a dialog, with Cancel and a submit button that spins while the work runs, and
 * the backend's message when it fails. For dialogs that wrap it with more (a loading step, a
 * result shown afterwards); otherwise use {@link FormDialog}.
 */
export const DialogForm = (props: DialogFormProps) => {
  const { busy, failure, clearFailure, submit } = useSubmission(props);
  const cancel = () => {
    if (!busy) {
      clearFailure();
      props.onCancel();
    }
  };
  return (
    <Layout
      {...props}
      busy={busy}
      failure={failure}
      onFormSubmit={submit}
      onCancel={cancel}
    />
  );
};

/** Props of {@link FormDialog}. */
export type FormDialogProps = Omit<
  DialogFormProps,
  'onCancel' | 'onBusyChange' | 'titleId'
> & {
  open: boolean;
  title: ReactNode;
  titleId: string;
  maxWidth?: 'xs' | 'sm';
  /** Called on Cancel, Escape or a click beside the dialog, but not while submitting. */
  onClose: () => void;
};

/** A dialog that is one form: see {@link DialogForm}. */
export const FormDialog = (props: FormDialogProps) => {
  const { open, maxWidth = 'sm', onClose, ...form } = props;
  const { busy, failure, clearFailure, submit } = useSubmission(form);
  const close = () => {
    if (!busy) {
      clearFailure();
      onClose();
    }
  };
  return (
    <Dialog
      open={open}
      onClose={close}
      fullWidth
      maxWidth={maxWidth}
      aria-labelledby={form.titleId}
    >
      <Layout
        {...form}
        busy={busy}
        failure={failure}
        onFormSubmit={submit}
        onCancel={close}
      />
    </Dialog>
  );
};
