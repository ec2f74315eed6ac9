export { PrincipalLink } from './PrincipalLink';
export { Timestamp } from './Timestamp';
export { usePaasportPageLink } from './usePaasportPageLink';
