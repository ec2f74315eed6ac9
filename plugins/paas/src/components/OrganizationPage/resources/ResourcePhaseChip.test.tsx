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
});
