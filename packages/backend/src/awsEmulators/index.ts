export { awsEmulatorsModule as default } from './awsEmulatorsModule';
