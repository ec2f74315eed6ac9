export * from './aws';
export * from './kubernetes';
export * from './resourceKinds';
export * from './organization';
