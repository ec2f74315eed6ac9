import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import useAsync from 'react-use/esm/useAsync';
import { paasApiRef } from '../../api';
import { errorMessage } from '../../api/errors';
import { resourceKindName } from '../common';
import { describeDimension } from '../QuotaBar';
import { ownerPrompt, readOwnerSelection } from './ownerSelection';
import { QuotaLeftNotes } from './QuotaLeftNotes';
import type { PaasResourceEstimateFieldProps } from './schema';

/**
 * The `PaasResourceEstimate` scaffolder field: read-only, it shows the estimated monthly cost
 * of one resource of the kind its `ui:options` name and, once the form names an owner, the
 * quota that owner's team has left. It sets no value and never blocks the form.
 */
export const PaasResourceEstimateField = (
  props: PaasResourceEstimateFieldProps,
) => {
  const { schema, uiSchema, formContext } = props;
  const options = uiSchema?.['ui:options'] ?? { kind: '' };
  const kind = options.kind?.trim();
  const title = schema.title ?? 'Cost and quota';
  // The scaffolder passes the whole form, across steps, as formContext.formData.
  const formData: Record<string, unknown> = formContext?.formData ?? {};
  const owner = readOwnerSelection(formData, options);

  const paasApi = useApi(paasApiRef);
  const kinds = useAsync(() => paasApi.listResourceKinds(), [paasApi]);

  let content;
  if (!kind) {
    content = (
      <Alert severity="error">
        The template gives this field no resource kind (ui:options kind, such as
        aws:s3-bucket).
      </Alert>
    );
  } else if (kinds.loading) {
    content = <Progress />;
  } else if (kinds.error) {
    content = (
      <Alert severity="error">
        Could not load the estimate: {errorMessage(kinds.error)}
      </Alert>
    );
  } else {
    const estimate = kinds.value?.find(k => k.kind === kind);
    content = (
      <>
        <Box mb={1}>
          {estimate ? (
            <Typography variant="body1">
              Estimated cost:{' '}
              <strong>
                {describeDimension('budget-monthly').format(
                  estimate.monthlyCost,
                )}
              </strong>{' '}
              for one {resourceKindName(kind)}.
            </Typography>
          ) : (
            <Alert severity="warning">
              No provider is installed for {kind}, so Paasport cannot create
              this resource.
            </Alert>
          )}
        </Box>
        {owner ? (
          <QuotaLeftNotes
            owner={owner}
            kind={kind}
            monthlyCost={estimate?.monthlyCost}
          />
        ) : (
          <Typography variant="body2" color="textSecondary">
            {ownerPrompt(options)}
          </Typography>
        )}
      </>
    );
  }

  return (
    <Box component="section" aria-label={title} mb={2}>
      <Typography variant="subtitle1" component="h3">
        {title}
      </Typography>
      {schema.description && (
        <Typography variant="body2" color="textSecondary" gutterBottom>
          {schema.description}
        </Typography>
      )}
      {content}
    </Box>
  );
};
