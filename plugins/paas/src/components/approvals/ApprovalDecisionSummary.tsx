import Typography from '@material-ui/core/Typography';
import type { Approval } from '@paasport/plugin-paas-common';
import { PrincipalLink, Timestamp } from '../common';

const VERBS: Partial<Record<Approval['state'], string>> = {
  approved: 'Approved',
  denied: 'Denied',
  cancelled: 'Cancelled',
};

/** Who decided an approval, when and why; when it expires while pending. */
export const ApprovalDecisionSummary = (props: { approval: Approval }) => {
  const { approval } = props;
  const { decision } = approval;
  if (approval.state === 'pending') {
    return (
      <Typography variant="body2" color="textSecondary">
        Undecided; expires <Timestamp value={approval.expiresAt} />
      </Typography>
    );
  }
  if (approval.state === 'expired' || !decision) {
    return (
      <Typography variant="body2" color="textSecondary">
        Expired undecided on <Timestamp value={approval.expiresAt} />
      </Typography>
    );
  }
  return (
    <Typography variant="body2" component="div">
      {VERBS[approval.state] ?? approval.state} by{' '}
      <PrincipalLink principal={decision.by} /> on{' '}
      <Timestamp value={decision.at} />
      {decision.reason ? (
        <Typography variant="body2" component="q" display="block">
          {decision.reason}
        </Typography>
      ) : (
        <Typography variant="body2" color="textSecondary" display="block">
          no reason given
        </Typography>
      )}
    </Typography>
  );
};
