import { render, screen } from '@testing-library/react';
import { RESOURCE_PHASES } from '@paasport/plugin-paas-common';
import { ResourcePhaseChip } from './ResourcePhaseChip';

describe('ResourcePhaseChip', () => {
  it.each(RESOURCE_PHASES)('says %s in words', phase => {
    render(<ResourcePhaseChip phase={phase} />);
    expect(screen.getByTestId('resource-phase')).toHaveTextContent(phase);
  });

  it('draws failed as alarming and deleted as muted', () => {
    render(
      <>
        <ResourcePhaseChip phase="failed" />
        <ResourcePhaseChip phase="deleted" />
      </>,
    );
    const [failed, deleted] = screen.getAllByTestId('resource-phase');
    expect(failed.className).toMatch(/colorSecondary/);
    expect(deleted.className).toMatch(/outlined/);
    expect(deleted.className).not.toMatch(/colorPrimary|colorSecondary/);
  });

  it('says next to the phase how many settings are not met or unverified', () => {
    render(
      <ResourcePhaseChip
        phase="ready"
        conditions={[
          { type: 'Ready', status: 'True', reason: 'Provisioned' },
          { type: 'Tagged', status: 'True', reason: 'Applied' },
          { type: 'Versioned', status: 'False', reason: 'Waiting' },
          { type: 'Encrypted', status: 'Unknown', reason: 'NotObserved' },
          {
            type: 'SecureTransportOnly',
            status: 'Unknown',
            reason: 'NotImplementedByEndpoint',
          },
        ]}
      />,
    );
    expect(screen.getByTestId('resource-phase')).toHaveTextContent(/^ready$/);
    expect(screen.getByTestId('resource-settings')).toHaveTextContent(
      /^— 1 setting not met, 2 settings unverified$/,
    );
  });

  it('adds nothing when every setting is confirmed or there are no conditions', () => {
    render(
      <>
        <ResourcePhaseChip
          phase="ready"
          conditions={[
            { type: 'Ready', status: 'True', reason: 'Provisioned' },
            { type: 'Encrypted', status: 'True', reason: 'Applied' },
          ]}
        />
        <ResourcePhaseChip phase="provisioning" conditions={[]} />
        <ResourcePhaseChip phase="failed" />
      </>,
    );
    expect(screen.getAllByTestId('resource-phase')).toHaveLength(3);
    expect(screen.queryByTestId('resource-settings')).not.toBeInTheDocument();
  });
});
