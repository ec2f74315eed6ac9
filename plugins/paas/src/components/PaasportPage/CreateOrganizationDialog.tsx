import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import TextField from '@material-ui/core/TextField';
import type {
  CreateOrganizationRequest,
  Organization,
} from '@paasport/plugin-paas-common';
import { useState } from 'react';
import { paasApiRef } from '../../api';
import { FormDialog } from '../common';

// Same rule as the backend's dnsLabelSchema; checked here only to help while typing.
const NAME_PATTERN = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

type FormState = {
  name: string;
  title: string;
  description: string;
  groupRef: string;
};

const emptyForm: FormState = {
  name: '',
  title: '',
  description: '',
  groupRef: '',
};

function nameProblem(name: string): string | undefined {
  if (!name) {
    return undefined;
  }
  if (name.length > 63) {
    return 'At most 63 characters';
  }
  if (!NAME_PATTERN.test(name)) {
    return 'Lower-case letters, digits and dashes; start with a letter, do not end with a dash';
  }
  return undefined;
}

/**
 * Accepts `payments`, `default/payments` or `group:default/payments` and returns the full
 * reference the backend expects; throws with a readable message otherwise.
 */
function normalizeGroupRef(value: string): string {
  const ref = parseEntityRef(value, {
    defaultKind: 'group',
    defaultNamespace: 'default',
  });
  if (ref.kind.toLocaleLowerCase('en-US') !== 'group') {
    throw new Error(`Only a Group can be adopted, not a ${ref.kind}`);
  }
  return stringifyEntityRef({ ...ref, kind: 'group' });
}

function toRequest(form: FormState): CreateOrganizationRequest {
  const request: CreateOrganizationRequest = { name: form.name.trim() };
  if (form.title.trim()) {
    request.title = form.title.trim();
  }
  if (form.description.trim()) {
    request.description = form.description.trim();
  }
  if (form.groupRef.trim()) {
    request.groupRef = normalizeGroupRef(form.groupRef.trim());
  }
  return request;
}

/** Props of {@link CreateOrganizationDialog}. */
export type CreateOrganizationDialogProps = {
  open: boolean;
  onClose: () => void;
  onCreated: (organization: Organization) => void;
};

/**
 * Form for a new organization, or for adopting a catalog group as one. Errors from the
 * backend (invalid field, not allowed, name taken) are shown in the dialog, which stays open.
 */
export const CreateOrganizationDialog = (
  props: CreateOrganizationDialogProps,
) => {
  const { open, onClose, onCreated } = props;
  const paasApi = useApi(paasApiRef);
  const [form, setForm] = useState<FormState>(emptyForm);

  const update =
    (field: keyof FormState) => (event: { target: { value: string } }) => {
      setForm(previous => ({ ...previous, [field]: event.target.value }));
    };

  const close = () => {
    setForm(emptyForm);
    onClose();
  };

  const submit = async () => {
    const organization = await paasApi.createOrganization(toRequest(form));
    setForm(emptyForm);
    onCreated(organization);
  };

  const nameError = nameProblem(form.name.trim());

  return (
    <FormDialog
      open={open}
      onClose={close}
      titleId="paas-create-organization-title"
      title="Create organization"
      description={
        <>
          An organization owns quota, members and everything its teams
          provision. Give the name of an existing catalog group to adopt it;
          otherwise Paasport publishes a new group for the organization.
        </>
      }
      submitLabel="Create"
      canSubmit={form.name.trim() !== '' && !nameError}
      onSubmit={submit}
    >
      <TextField
        required
        fullWidth
        margin="normal"
        id="paas-organization-name"
        label="Name"
        value={form.name}
        onChange={update('name')}
        error={Boolean(nameError)}
        helperText={
          nameError ??
          'Stable id, also the name of the catalog group, e.g. acme-payments'
        }
        inputProps={{ maxLength: 63 }}
      />
      <TextField
        fullWidth
        margin="normal"
        id="paas-organization-title"
        label="Title"
        value={form.title}
        onChange={update('title')}
        helperText="Display name, e.g. Acme Payments; defaults to the name"
      />
      <TextField
        fullWidth
        multiline
        minRows={2}
        margin="normal"
        id="paas-organization-description"
        label="Description"
        value={form.description}
        onChange={update('description')}
      />
      <TextField
        fullWidth
        margin="normal"
        id="paas-organization-group-ref"
        label="Adopted group (optional)"
        value={form.groupRef}
        onChange={update('groupRef')}
        helperText="An existing catalog group, e.g. group:default/payments"
      />
    </FormDialog>
  );
};
