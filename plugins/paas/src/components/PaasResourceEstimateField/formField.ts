import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import { PaasResourceEstimateField } from './PaasResourceEstimateField';
import { PaasResourceEstimateFieldSchema } from './schema';

/** The `PaasResourceEstimate` field for the new frontend system's scaffolder. */
export const paasResourceEstimateFormField = createFormField({
  name: 'PaasResourceEstimate',
  component: PaasResourceEstimateField,
  schema: PaasResourceEstimateFieldSchema,
});
