export {
  LAMBDA_MAX_UPLOAD_BYTES,
  LambdaFunctionProvider,
} from './LambdaFunctionProvider';
export type { LambdaFunctionProviderOptions } from './LambdaFunctionProvider';
