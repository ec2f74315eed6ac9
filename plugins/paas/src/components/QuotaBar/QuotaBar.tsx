import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { alpha, makeStyles, Theme } from '@material-ui/core/styles';
import type { QuotaLine } from '@paasport/plugin-paas-common';
import { ReactNode } from 'react';
import { describeDimension } from './quotaUnits';

const useStyles = makeStyles((theme: Theme) => ({
  track: {
    position: 'relative',
    height: 10,
    borderRadius: 5,
    overflow: 'hidden',
    backgroundColor: theme.palette.action.hover,
  },
  allocated: {
    position: 'absolute',
    top: 0,
    bottom: 0,
    left: 0,
    backgroundColor: alpha(theme.palette.primary.main, 0.25),
  },
  used: {
    position: 'absolute',
    top: 0,
    bottom: 0,
    left: 0,
  },
}));

function share(part: number, whole: number): number {
  if (whole <= 0) {
    return part > 0 ? 1 : 0;
  }
  return Math.min(Math.max(part / whole, 0), 1);
}

/** Props of {@link QuotaBar}. */
export type QuotaBarProps = {
  line: QuotaLine;
  /**
   * The organization's lines also show what its teams have carved out; a cluster's line shows
   * `used` as what deployments have allocated of its capacity (`limit`).
   */
  scope: 'organization' | 'team' | 'cluster';
  /** Shown beside the label, e.g. an "Edit limit" button. */
  action?: ReactNode;
};

/**
 * One dimension of a quota: how much of the limit is used and, for an organization, how much
 * is carved out for its teams; or how much of a cluster's capacity is allocated. Amounts are
 * shown in human units (cores, GiB, counts).
 */
export const QuotaBar = (props: QuotaBarProps) => {
  const { line, scope, action } = props;
  const classes = useStyles();
  const unit = describeDimension(line.dimension);
  const usedShare = share(line.used, line.limit);
  const percent = Math.round(
    line.limit > 0 ? (line.used / line.limit) * 100 : 0,
  );
  const usage = `${unit.format(line.used)} of ${unit.format(line.limit)} ${
    scope === 'cluster' ? 'allocated' : 'used'
  }`;
  const over = line.used > line.limit;

  let usedColor = 'primary.main';
  if (over) {
    usedColor = 'error.main';
  } else if (percent >= 80) {
    usedColor = 'warning.main';
  }

  return (
    <Box mb={2} data-testid={`quota-${line.dimension}`}>
      <Box display="flex" alignItems="baseline" justifyContent="space-between">
        <Typography variant="subtitle2" component="span">
          {unit.label}
        </Typography>
        {action}
      </Box>
      <div
        className={classes.track}
        role="progressbar"
        aria-label={`${unit.label} usage`}
        aria-valuemin={0}
        aria-valuemax={line.limit}
        aria-valuenow={line.used}
        aria-valuetext={usage}
      >
        {scope === 'organization' && line.allocated > 0 && (
          <div
            className={classes.allocated}
            style={{ width: `${share(line.allocated, line.limit) * 100}%` }}
          />
        )}
        <Box
          className={classes.used}
          bgcolor={usedColor}
          style={{ width: `${usedShare * 100}%` }}
        />
      </div>
      <Typography variant="body2" color={over ? 'error' : 'textPrimary'}>
        {usage} ({percent}%)
      </Typography>
      {scope === 'organization' && (
        <Typography variant="body2" color="textSecondary">
          {unit.format(line.allocated)} carved out for teams,{' '}
          {unit.format(Math.max(line.limit - line.allocated, 0))} not carved out
        </Typography>
      )}
    </Box>
  );
};
