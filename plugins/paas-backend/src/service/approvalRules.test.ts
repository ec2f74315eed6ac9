import { ConfigReader } from '@backstage/config';
import {
  ApprovalFacts,
  describeApprovalRule,
  matchApprovalRule,
  readAllowSelfApproval,
  readApprovalRules,
} from './approvalRules';

const rules = readApprovalRules(
  new ConfigReader({
    paas: {
      policy: {
        approvals: [
          {
            name: 'production',
            action: 'deployment.create',
            placement: { environment: 'prod' },
          },
          {
            name: 'expensive',
            action: 'deployment.create',
            monthlyCostAbove: 500,
            approver: 'platform',
          },
          {
            action: 'deployment.create',
            gpusAtLeast: 4,
            organizations: ['acme'],
            priorityClasses: ['critical'],
            approver: 'platform',
          },
        ],
      },
    },
  }),
);

const facts: ApprovalFacts = {
  organization: 'acme',
  placement: {},
  priorityClass: 'standard',
  gpus: 0,
  monthlyCost: 100,
};

describe('approval rules', () => {
  it('reads rules with defaults for name and approver', () => {
    expect(rules.map(r => [r.name, r.approver])).toEqual([
      ['production', 'admin'],
      ['expensive', 'platform'],
      ['rule 3', 'platform'],
    ]);
  });

  it('matches a rule only when every condition holds', () => {
    expect(
      matchApprovalRule(rules, 'deployment.create', facts),
    ).toBeUndefined();
    expect(
      matchApprovalRule(rules, 'deployment.create', {
        ...facts,
        placement: { environment: 'prod', region: 'eu' },
      })?.name,
    ).toBe('production');
    expect(
      matchApprovalRule(rules, 'deployment.create', { ...facts, gpus: 4 }),
    ).toBeUndefined();
    expect(
      matchApprovalRule(rules, 'deployment.create', {
        ...facts,
        gpus: 4,
        priorityClass: 'critical',
      })?.name,
    ).toBe('rule 3');
    expect(
      matchApprovalRule(rules, 'deployment.create', {
        ...facts,
        gpus: 4,
        priorityClass: 'critical',
        organization: 'globex',
      }),
    ).toBeUndefined();
  });

  it('lets a platform rule win over an admin rule', () => {
    const rule = matchApprovalRule(rules, 'deployment.create', {
      ...facts,
      placement: { environment: 'prod' },
      monthlyCost: 900,
    });
    expect(rule?.name).toBe('expensive');
    expect(describeApprovalRule(rule!, { ...facts, monthlyCost: 900 })).toBe(
      "Policy 'expensive' asks the platform team to approve because it is estimated at 900 a month (above 500)",
    );
  });

  it('matches resource requests by kind, never deployments', () => {
    const resourceRules = readApprovalRules(
      new ConfigReader({
        paas: {
          policy: {
            approvals: [
              {
                name: 'databases',
                action: 'resource.create',
                kinds: ['aws:rds-instance'],
              },
            ],
          },
        },
      }),
    );
    const request = { ...facts, priorityClass: '', kind: 'aws:rds-instance' };
    const rule = matchApprovalRule(resourceRules, 'resource.create', request);
    expect(rule?.name).toBe('databases');
    expect(describeApprovalRule(rule!, request)).toBe(
      "Policy 'databases' asks an organization admin to approve because it is a aws:rds-instance",
    );
    expect(
      matchApprovalRule(resourceRules, 'resource.create', {
        ...request,
        kind: 'aws:s3-bucket',
      }),
    ).toBeUndefined();
    expect(
      matchApprovalRule(resourceRules, 'deployment.create', facts),
    ).toBeUndefined();
  });

  it.each([
    [
      { action: 'resource.create', kinds: ['aws:ec2-instance'] },
      'paas.policy.approvals[0].kinds has unknown resource kinds aws:ec2-instance; known are aws:s3-bucket',
    ],
    [
      { action: 'resource.explode' },
      "paas.policy.approvals[0].action must be one of deployment.create, resource.create, not 'resource.explode'",
    ],
    [
      { action: 'deployment.create', approver: 'ceo' },
      "paas.policy.approvals[0].approver must be one of admin, platform, not 'ceo'",
    ],
    [
      { action: 'deployment.create', monthlyCostAbove: -1 },
      'paas.policy.approvals[0].monthlyCostAbove must be a number of at least 0',
    ],
  ])('fails at start-up naming the rule and key for %j', (rule, message) => {
    expect(() =>
      readApprovalRules(
        new ConfigReader({ paas: { policy: { approvals: [rule] } } }),
      ),
    ).toThrow(message);
  });

  it('keeps self-approval off unless paas.policy.allowSelfApproval says otherwise', () => {
    expect(readAllowSelfApproval(new ConfigReader({}))).toBe(false);
    expect(
      readAllowSelfApproval(
        new ConfigReader({ paas: { policy: { allowSelfApproval: true } } }),
      ),
    ).toBe(true);
    expect(() =>
      readAllowSelfApproval(
        new ConfigReader({
          paas: { policy: { allowSelfApproval: 'sometimes' } },
        }),
      ),
    ).toThrow(/allowSelfApproval/);
  });
});
