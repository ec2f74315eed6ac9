import { makeFieldSchema } from '@backstage/plugin-scaffolder-react';

/**
 * The `ui:options` of the `PaasResourceEstimate` field and the value it keeps (none: it only
 * informs). The schema is what the template editor's field explorer shows.
 */
export const PaasResourceEstimateFieldSchema = makeFieldSchema({
  output: z => z.string().optional(),
  uiOptions: z =>
    z.object({
      kind: z
        .string()
        .describe('The resource kind to estimate, such as aws:s3-bucket'),
      ownerField: z
        .string()
        .optional()
        .describe(
          'The form field holding the owning group reference (from OwnerPicker)',
        ),
      organizationField: z
        .string()
        .optional()
        .describe(
          'Instead of ownerField: the form field holding the organization name',
        ),
      teamField: z
        .string()
        .optional()
        .describe(
          'Instead of ownerField: the form field holding the team name',
        ),
    }),
});

/** The `ui:options` a template gives the `PaasResourceEstimate` field. */
export type PaasResourceEstimateUiOptions =
  typeof PaasResourceEstimateFieldSchema.uiOptionsType;

/** The props the scaffolder gives the `PaasResourceEstimate` field. */
export type PaasResourceEstimateFieldProps =
  typeof PaasResourceEstimateFieldSchema.TProps;
