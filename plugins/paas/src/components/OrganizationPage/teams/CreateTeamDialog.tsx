import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import TextField from '@material-ui/core/TextField';
import type { Team } from '@paasport/plugin-paas-common';
import { useState } from 'react';
import { CreateTeamRequest, paasApiRef } from '../../../api';
import { FormDialog } from '../../common';

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

function toRequest(form: FormState): CreateTeamRequest {
  const request: CreateTeamRequest = { name: form.name.trim() };
  if (form.title.trim()) {
    request.title = form.title.trim();
  }
  if (form.description.trim()) {
    request.description = form.description.trim();
  }
  if (form.groupRef.trim()) {
    const ref = parseEntityRef(form.groupRef.trim(), {
      defaultKind: 'group',
      defaultNamespace: 'default',
    });
    if (ref.kind.toLocaleLowerCase('en-US') !== 'group') {
      throw new Error(`Only a Group can be adopted, not a ${ref.kind}`);
    }
    request.groupRef = stringifyEntityRef({ ...ref, kind: 'group' });
  }
  return request;
}

/** Creates a team in the organization, or adopts a catalog group as one. */
export const CreateTeamDialog = (props: {
  open: boolean;
  organization: string;
  onClose: () => void;
  onCreated: (team: Team) => void;
}) => {
  const { open, organization, onClose, onCreated } = props;
  const paasApi = useApi(paasApiRef);
  const [form, setForm] = useState<FormState>(emptyForm);

  const update =
    (field: keyof FormState) => (event: { target: { value: string } }) =>
      setForm(previous => ({ ...previous, [field]: event.target.value }));

  const close = () => {
    setForm(emptyForm);
    onClose();
  };

  const submit = async () => {
    const team = await paasApi.createTeam(organization, toRequest(form));
    setForm(emptyForm);
    onCreated(team);
  };

  const name = form.name.trim();
  const nameError =
    name && (name.length > 63 || !NAME_PATTERN.test(name))
      ? 'Lower-case letters, digits and dashes; start with a letter, do not end with a dash; at most 63 characters'
      : undefined;

  return (
    <FormDialog
      open={open}
      onClose={close}
      titleId="paas-create-team-title"
      title="Create team"
      description={
        <>
          A team owns what it provisions and gets its quota carved out of the
          organization's. Give an existing catalog group to adopt it.
        </>
      }
      submitLabel="Create"
      canSubmit={Boolean(name) && !nameError}
      onSubmit={submit}
    >
      <TextField
        required
        fullWidth
        margin="normal"
        id="paas-team-name"
        label="Name"
        value={form.name}
        onChange={update('name')}
        error={Boolean(nameError)}
        helperText={nameError ?? 'Stable id, e.g. checkout'}
        inputProps={{ maxLength: 63 }}
      />
      <TextField
        fullWidth
        margin="normal"
        id="paas-team-title"
        label="Title"
        value={form.title}
        onChange={update('title')}
        helperText="Display name; defaults to the name"
      />
      <TextField
        fullWidth
        multiline
        minRows={2}
        margin="normal"
        id="paas-team-description"
        label="Description"
        value={form.description}
        onChange={update('description')}
      />
      <TextField
        fullWidth
        margin="normal"
        id="paas-team-group-ref"
        label="Adopted group (optional)"
        value={form.groupRef}
        onChange={update('groupRef')}
        helperText="An existing catalog group, e.g. group:default/checkout"
      />
    </FormDialog>
  );
};
