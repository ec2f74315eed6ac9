export { PaasResourceEstimateField } from './PaasResourceEstimateField';
export { PaasResourceEstimateFieldSchema } from './schema';
export type {
  PaasResourceEstimateFieldProps,
  PaasResourceEstimateUiOptions,
} from './schema';
