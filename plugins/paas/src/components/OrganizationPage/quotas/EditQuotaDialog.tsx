import { useApi } from '@backstage/core-plugin-api';
import Dialog from '@material-ui/core/Dialog';
import InputAdornment from '@material-ui/core/InputAdornment';
import TextField from '@material-ui/core/TextField';
import {
  MAX_QUOTA_AMOUNT,
  Organization,
  QuotaLine,
} from '@paasport/plugin-paas-common';
import { useState } from 'react';
import { paasApiRef } from '../../../api';
import { DialogForm } from '../../common';
import {
  COMMON_DIMENSIONS,
  describeDimension,
  parseAmount,
} from '../../QuotaBar';

const TYPED_GPUS = 'gpus/';
const GPU_TYPE_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Which limit the dialog edits: the organization's own, or one team's carve-out. */
export type QuotaTarget = {
  /** Undefined for the organization's own quota. */
  team?: string;
  /** Fixed when editing an existing line; chosen in the dialog for a new one. */
  dimension?: string;
  /** The current limit, in the dimension's stored unit. */
  limit?: number;
};

const Form = (props: {
  organization: Organization;
  target: QuotaTarget;
  organizationLines: QuotaLine[];
  onClose: () => void;
  onSaved: () => void;
}) => {
  const { organization, target, organizationLines, onClose, onSaved } = props;
  const paasApi = useApi(paasApiRef);
  const [choice, setChoice] = useState(
    target.dimension ?? COMMON_DIMENSIONS[0],
  );
  const [gpuType, setGpuType] = useState('');
  const fixedUnit = target.dimension
    ? describeDimension(target.dimension)
    : undefined;
  const [amount, setAmount] = useState(
    fixedUnit && target.limit !== undefined
      ? String(fixedUnit.toInput(target.limit))
      : '',
  );
  const [reason, setReason] = useState('');

  const dimension =
    target.dimension ??
    (choice === TYPED_GPUS ? `${TYPED_GPUS}${gpuType.trim()}` : choice);
  const unit = describeDimension(dimension);
  const gpuTypeError =
    choice === TYPED_GPUS && !target.dimension && gpuType.trim()
      ? !GPU_TYPE_PATTERN.test(gpuType.trim())
      : false;
  const value = parseAmount(amount, unit.wholeInput);
  const limit = value === undefined ? undefined : unit.fromInput(value);
  const tooLarge = limit !== undefined && limit > MAX_QUOTA_AMOUNT;
  const dimensionReady =
    choice !== TYPED_GPUS ||
    Boolean(target.dimension) ||
    (gpuType.trim() !== '' && !gpuTypeError);

  const organizationLine = organizationLines.find(
    line => line.dimension === dimension,
  );
  let hint: string | undefined;
  if (target.team && organizationLine) {
    hint = `${organization.title} has ${unit.format(
      Math.max(organizationLine.limit - organizationLine.allocated, 0),
    )} of ${unit.format(organizationLine.limit)} not carved out for teams.`;
  } else if (target.team) {
    hint = `${organization.title} has no ${unit.label} limit of its own yet.`;
  }

  const submit = async () => {
    if (limit === undefined) {
      return;
    }
    const request = reason.trim()
      ? { limit, reason: reason.trim() }
      : { limit };
    // A refusal is shown as the backend words it: a 409 names the amount that is left.
    if (target.team) {
      await paasApi.setTeamQuota(
        organization.name,
        target.team,
        dimension,
        request,
      );
    } else {
      await paasApi.setOrganizationQuota(organization.name, dimension, request);
    }
    onSaved();
  };

  const scope = target.team
    ? `team ${target.team}`
    : `${organization.title} (organization)`;

  return (
    <DialogForm
      titleId="paas-edit-quota-title"
      title={target.dimension ? `Edit ${unit.label} limit` : 'Set a limit'}
      description={
        target.team
          ? `The limit of ${scope} is carved out of the organization's quota; org admins set it.`
          : `The limit of ${scope}; the platform team sets it. Team limits are carved out of it.`
      }
      submitLabel="Save"
      canSubmit={limit !== undefined && !tooLarge && dimensionReady}
      onSubmit={submit}
      onCancel={onClose}
    >
      {!target.dimension && (
        <TextField
          select
          fullWidth
          margin="normal"
          id="paas-quota-dimension"
          label="Dimension"
          value={choice}
          onChange={event => {
            setChoice(event.target.value);
            setAmount('');
          }}
          SelectProps={{ native: true }}
        >
          {COMMON_DIMENSIONS.map(option => (
            <option key={option} value={option}>
              {describeDimension(option).label}
            </option>
          ))}
          <option value={TYPED_GPUS}>GPUs of one type</option>
        </TextField>
      )}
      {!target.dimension && choice === TYPED_GPUS && (
        <TextField
          required
          fullWidth
          margin="normal"
          id="paas-quota-gpu-type"
          label="GPU type"
          value={gpuType}
          onChange={event => setGpuType(event.target.value)}
          error={gpuTypeError}
          helperText="Lower-case, e.g. nvidia-a100"
        />
      )}
      <TextField
        required
        fullWidth
        margin="normal"
        type="number"
        id="paas-quota-limit"
        label="Limit"
        value={amount}
        onChange={event => setAmount(event.target.value)}
        error={Boolean(amount) && (value === undefined || tooLarge)}
        helperText={
          hint ?? (unit.wholeInput ? 'A whole number' : `In ${unit.inputUnit}`)
        }
        InputProps={{
          endAdornment: unit.inputUnit ? (
            <InputAdornment position="end">{unit.inputUnit}</InputAdornment>
          ) : undefined,
        }}
        inputProps={{ min: 0, step: unit.wholeInput ? 1 : 'any' }}
      />
      <TextField
        fullWidth
        margin="normal"
        id="paas-quota-reason"
        label="Reason (optional)"
        value={reason}
        onChange={event => setReason(event.target.value)}
        helperText="Kept in the quota history"
        inputProps={{ maxLength: 1000 }}
      />
    </DialogForm>
  );
};

/**
 * Sets one limit of the organization (platform team) or of a team (org admins), in human
 * units. When the backend refuses, its message is shown as it is, e.g. what is left to carve out.
 */
export const EditQuotaDialog = (props: {
  organization: Organization;
  /** Undefined while closed. */
  target?: QuotaTarget;
  organizationLines: QuotaLine[];
  onClose: () => void;
  onSaved: () => void;
}) => {
  const { target } = props;
  return (
    <Dialog
      open={Boolean(target)}
      onClose={props.onClose}
      fullWidth
      maxWidth="sm"
      aria-labelledby="paas-edit-quota-title"
    >
      {/* remounted for every target, so the form starts from that target's values */}
      {target && (
        <Form
          key={`${target.team ?? ''}:${target.dimension ?? ''}`}
          organization={props.organization}
          target={target}
          organizationLines={props.organizationLines}
          onClose={props.onClose}
          onSaved={props.onSaved}
        />
      )}
    </Dialog>
  );
};
