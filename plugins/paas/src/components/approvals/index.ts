export { ApprovalDecisionSummary } from './ApprovalDecisionSummary';
export { ApprovalStateChip } from './ApprovalStateChip';
export { describeApproval, quotaIncreaseSubject } from './describeApproval';
