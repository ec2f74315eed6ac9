import Chip from '@material-ui/core/Chip';
import BlockIcon from '@material-ui/icons/Block';
import CheckIcon from '@material-ui/icons/Check';
import RemoveCircleOutlineIcon from '@material-ui/icons/RemoveCircleOutline';
import type { ClusterState } from '@paasport/plugin-paas-common';

const ICONS: Record<ClusterState, JSX.Element> = {
  ready: <CheckIcon />,
  cordoned: <BlockIcon />,
  draining: <RemoveCircleOutlineIcon />,
};

/** The state of a cluster as a small chip; the word is always there, not only the colour. */
export const ClusterStateChip = (props: { state: ClusterState }) => {
  const { state } = props;
  let color: 'default' | 'primary' | 'secondary' = 'default';
  if (state === 'ready') {
    color = 'primary';
  } else if (state === 'draining') {
    color = 'secondary';
  }
  return (
    <Chip
      size="small"
      icon={ICONS[state]}
      label={state}
      color={color}
      variant={state === 'cordoned' ? 'outlined' : 'default'}
      data-testid="cluster-state"
    />
  );
};
