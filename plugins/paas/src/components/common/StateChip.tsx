import Chip from '@material-ui/core/Chip';

/** How one state looks: its icon, and whether it is highlighted, alarming or still open. */
export interface StateLook {
  icon: JSX.Element;
  tone?: 'good' | 'bad';
  /** Drawn outlined: something is still to happen. */
  open?: boolean;
}

const COLORS = { good: 'primary', bad: 'secondary' } as const;

/** A state as a small chip; the word is always there, not only the colour. */
export function StateChip<S extends string>(props: {
  state: S;
  looks: Record<S, StateLook>;
  testId: string;
}) {
  const { state, looks, testId } = props;
  const look = looks[state];
  return (
    <Chip
      size="small"
      icon={look.icon}
      label={state}
      color={look.tone ? COLORS[look.tone] : 'default'}
      variant={look.open ? 'outlined' : 'default'}
      data-testid={testId}
    />
  );
}
