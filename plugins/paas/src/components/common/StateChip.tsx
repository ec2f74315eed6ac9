import Chip, { ChipProps } from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';

/** How one state looks: its icon, and whether it is highlighted, alarming, over or still open. */
export interface StateLook {
  icon: JSX.Element;
  /** `muted`: it is over and only kept for the record, such as a deleted resource. */
  tone?: 'good' | 'bad' | 'muted';
  /** Drawn outlined: something is still to happen. */
  open?: boolean;
}

const COLORS: Record<NonNullable<StateLook['tone']>, ChipProps['color']> = {
  good: 'primary',
  bad: 'secondary',
  muted: 'default',
};

const useStyles = makeStyles(theme => ({
  muted: {
    color: theme.palette.text.disabled,
    borderStyle: 'dashed',
    '& $icon': { color: theme.palette.text.disabled },
  },
  icon: {},
}));

/** A state as a small chip; the word is always there, not only the colour. */
export function StateChip<S extends string>(props: {
  state: S;
  looks: Record<S, StateLook>;
  testId: string;
}) {
  const { state, looks, testId } = props;
  const classes = useStyles();
  const look = looks[state];
  const muted = look.tone === 'muted';
  return (
    <Chip
      size="small"
      icon={look.icon}
      label={state}
      color={look.tone ? COLORS[look.tone] : 'default'}
      variant={look.open || muted ? 'outlined' : 'default'}
      classes={muted ? { root: classes.muted, icon: classes.icon } : undefined}
      data-testid={testId}
    />
  );
}
