export * from './PaasClient';
export * from './paasServiceRef';
