import { ApprovalRule } from './approvalRules';
import {
  requiredPlacementLabels,
  requirePlacementLabels,
} from './deploymentPlacement';

const rules: ApprovalRule[] = [
  {
    name: 'production',
    action: 'deployment.create',
    approver: 'admin',
    placement: { environment: 'prod' },
  },
  {
    name: 'cardholder data',
    action: 'deployment.create',
    approver: 'platform',
    placement: { compliance: 'pci' },
  },
  {
    name: 'eu namespaces',
    action: 'resource.create',
    approver: 'admin',
    placement: { region: 'eu' },
  },
];

describe('requiredPlacementLabels', () => {
  it('asks for the environment and every label a deployment rule decides by', () => {
    expect(requiredPlacementLabels(rules)).toEqual([
      'environment',
      'compliance',
    ]);
    expect(requiredPlacementLabels([])).toEqual(['environment']);
  });
});

describe('requirePlacementLabels', () => {
  const required = requiredPlacementLabels(rules);

  it('accepts a placement that states them all', () => {
    expect(() =>
      requirePlacementLabels(
        { environment: 'dev', compliance: 'none', zone: 'a' },
        required,
      ),
    ).not.toThrow();
  });

  it.each([
    [{}, 'placement.environment: required'],
    [{ environment: '' }, 'placement.environment: required'],
    [
      { environment: 'dev' },
      'placement.compliance: required, because approval rules decide by it',
    ],
  ])('refuses %j naming the label', (placement, message) => {
    expect(() => requirePlacementLabels(placement, required)).toThrow(message);
  });
});
