export { ConfirmDialog } from './ConfirmDialog';
export { describeDuration } from './durationText';
export { EventsDialog } from './EventsDialog';
export type { HistoryEvent, LoadEvents } from './EventsDialog';
export { DialogForm, FormDialog } from './FormDialog';
export { parseLabels } from './labelText';
export type { ParsedLabels } from './labelText';
export { PrincipalLink } from './PrincipalLink';
export { resourceKindName, resourceKindPluralName } from './resourceKindNames';
export { ROLE_DESCRIPTIONS, ORGANIZATION_ROLES } from './roles';
export type { OrganizationRole } from './roles';
export {
  useApprovalsPageLink,
  useClustersPageLink,
  useJoinPageLink,
  useOrganizationLink,
  usePaasportPageLink,
} from './routeLinks';
export { Timestamp } from './Timestamp';
export { normalizeUserRef } from './userRefs';
