export * from './types';
export * from './workloads';
export * from './extensionPoint';
