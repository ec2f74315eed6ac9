export { LambdaFunctionProvider } from './LambdaFunctionProvider';
export type { LambdaFunctionProviderOptions } from './LambdaFunctionProvider';
