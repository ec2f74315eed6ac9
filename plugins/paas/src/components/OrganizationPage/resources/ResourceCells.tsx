import { Link } from '@backstage/core-components';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import {
  ManagedResource,
  paasResourceDeletePermission,
} from '@paasport/plugin-paas-common';
import { useState } from 'react';
import { ResourceConditionList } from './ResourceConditionList';
import { ResourcePhaseChip } from './ResourcePhaseChip';
import {
  DELETABLE_PHASES,
  describeDeletion,
  keyOutputs,
  resourceName,
  unmetConditions,
} from './resourceText';

/** The name chosen in the request, and the name of the real resource under it. */
export const NameCell = (props: { resource: ManagedResource }) => {
  const { resource } = props;
  return (
    <>
      {resource.name}
      <Typography
        variant="body2"
        color="textSecondary"
        title="Name of the real resource"
      >
        {resource.externalName}
      </Typography>
    </>
  );
};

/**
 * The phase chip with how many settings are not met or unverified, the last error, each
 * condition that does not hold (its message in a tooltip), so that a reader sees why a resource
 * is not ready, and every condition behind a toggle.
 */
export const PhaseCell = (props: { resource: ManagedResource }) => {
  const { resource } = props;
  const [showConditions, setShowConditions] = useState(false);
  const unmet = unmetConditions(resource);
  return (
    <>
      <ResourcePhaseChip
        phase={resource.phase}
        conditions={resource.conditions}
      />
      {resource.message && (
        <Typography variant="body2" color="textSecondary">
          {resource.message}
        </Typography>
      )}
      {unmet.map(condition => (
        <Tooltip
          key={condition.type}
          title={condition.message ?? condition.reason}
        >
          <Typography
            variant="body2"
            color="error"
            data-testid="unmet-condition"
          >
            {condition.type}: {condition.reason}
          </Typography>
        </Tooltip>
      ))}
      {resource.conditions.length > 0 && (
        <>
          <Button
            size="small"
            aria-label={`Conditions of ${resourceName(resource)}`}
            aria-expanded={showConditions}
            onClick={() => setShowConditions(shown => !shown)}
          >
            Conditions ({resource.conditions.length})
          </Button>
          {showConditions && (
            <Typography variant="body2" component="div">
              <ResourceConditionList conditions={resource.conditions} />
            </Typography>
          )}
        </>
      )}
    </>
  );
};

/** ARN, endpoint and the like as text; console links as links. */
export const OutputsCell = (props: { resource: ManagedResource }) => (
  <>
    {keyOutputs(props.resource.outputs).map(output => (
      <Typography
        key={output.key}
        variant="body2"
        style={{ wordBreak: 'break-all' }}
      >
        {'href' in output ? (
          <Link to={output.href} externalLinkIcon>
            {output.label}
          </Link>
        ) : (
          <>
            {output.label}: {output.text}
          </>
        )}
      </Typography>
    ))}
  </>
);

/**
 * History for everyone; Retry (failed only) and Delete for those allowed
 * `paas.resource.delete` on this resource. Delete is disabled, with the reason, for a
 * resource whose deletion policy is `protect`.
 */
export const ResourceActions = (props: {
  resource: ManagedResource;
  busy: boolean;
  onHistory: () => void;
  onRetry: () => void;
  onDelete: () => void;
}) => {
  const { resource, busy } = props;
  const { allowed } = usePermission({
    permission: paasResourceDeletePermission,
    resourceRef: resource.id,
  });
  const name = resourceName(resource);
  const deletable = allowed && DELETABLE_PHASES.includes(resource.phase);
  const protectedFromDeletion = resource.deletionPolicy === 'protect';
  const deleteButton = (
    <Button
      size="small"
      color="secondary"
      aria-label={`Delete ${name}`}
      disabled={busy || protectedFromDeletion}
      onClick={props.onDelete}
    >
      Delete
    </Button>
  );
  return (
    <Box display="flex" flexWrap="wrap" style={{ gap: 4 }}>
      <Button
        size="small"
        aria-label={`History of ${name}`}
        onClick={props.onHistory}
      >
        History
      </Button>
      {allowed && resource.phase === 'failed' && (
        <Button
          size="small"
          color="primary"
          aria-label={`Retry ${name}`}
          disabled={busy}
          onClick={props.onRetry}
        >
          Retry
        </Button>
      )}
      {deletable &&
        (protectedFromDeletion ? (
          // a disabled button gets no pointer events, so the tooltip sits on a wrapper
          <Tooltip title={describeDeletion(resource)}>
            <span>{deleteButton}</span>
          </Tooltip>
        ) : (
          deleteButton
        ))}
    </Box>
  );
};
