import { managedResources } from '../../../__testUtils__/paasFixtures';
import {
  ageOf,
  describeCondition,
  describeDeletion,
  describeDoubtfulSettings,
  keyOutputs,
  unmetConditions,
} from './resourceText';

describe('keyOutputs', () => {
  it('shows ARN and endpoints as text and console links as links', () => {
    expect(
      keyOutputs({
        queueName: 'q',
        queueUrl: 'https://sqs.eu-west-1.amazonaws.com/123/q',
        arn: 'arn:aws:sqs:eu-west-1:123:q',
        region: 'eu-west-1',
        consoleUrl: 'https://console.aws.amazon.com/sqs',
        deadLetterQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123/q-dlq',
      }),
    ).toEqual([
      { key: 'arn', label: 'ARN', text: 'arn:aws:sqs:eu-west-1:123:q' },
      {
        key: 'queueUrl',
        label: 'Queue URL',
        text: 'https://sqs.eu-west-1.amazonaws.com/123/q',
      },
      {
        key: 'consoleUrl',
        label: 'Console',
        href: 'https://console.aws.amazon.com/sqs',
      },
    ]);
  });

  it('names other links after their key and never links anything but http(s)', () => {
    expect(
      keyOutputs({
        dashboardLink: 'https://grafana.example.com/d/1',
        consoleUrl: 'data:text/html,hello',
      }),
    ).toEqual([
      {
        key: 'dashboardLink',
        label: 'Dashboard link',
        href: 'https://grafana.example.com/d/1',
      },
      { key: 'consoleUrl', label: 'Console', text: 'data:text/html,hello' },
    ]);
  });

  it('has nothing to show without outputs', () => {
    expect(keyOutputs({})).toEqual([]);
  });
});

describe('unmetConditions', () => {
  it('keeps only the conditions that are False', () => {
    expect(
      unmetConditions({
        conditions: [
          { type: 'Ready', status: 'False', reason: 'Refused' },
          { type: 'Encrypted', status: 'Unknown', reason: 'NotObserved' },
          { type: 'Tagged', status: 'True', reason: 'Tagged' },
        ],
      }),
    ).toEqual([{ type: 'Ready', status: 'False', reason: 'Refused' }]);
  });
});

describe('describeDoubtfulSettings', () => {
  it('counts unmet and unverified settings but not Ready, which the phase says', () => {
    expect(
      describeDoubtfulSettings([
        { type: 'Ready', status: 'False', reason: 'Refused' },
        { type: 'Encrypted', status: 'Unknown', reason: 'NotObserved' },
        { type: 'Tagged', status: 'True', reason: 'Applied' },
      ]),
    ).toBe('1 setting unverified');
    expect(
      describeDoubtfulSettings([
        { type: 'Versioned', status: 'False', reason: 'Waiting' },
        { type: 'Tagged', status: 'False', reason: 'Waiting' },
        { type: 'Encrypted', status: 'Unknown', reason: 'NotObserved' },
      ]),
    ).toBe('2 settings not met, 1 setting unverified');
  });

  it('says nothing when every setting was confirmed', () => {
    expect(
      describeDoubtfulSettings([
        { type: 'Ready', status: 'True', reason: 'Provisioned' },
        { type: 'Tagged', status: 'True', reason: 'Applied' },
      ]),
    ).toBeUndefined();
  });
});

describe('describeCondition', () => {
  it('gives the status in words and the message, or else the reason', () => {
    expect(
      describeCondition({
        type: 'Encrypted',
        status: 'Unknown',
        reason: 'NotImplementedByEndpoint',
        message: 'The endpoint does not implement the call',
      }),
    ).toBe('Encrypted: unverified — The endpoint does not implement the call');
    expect(
      describeCondition({ type: 'Tagged', status: 'False', reason: 'Waiting' }),
    ).toBe('Tagged: not met — Waiting');
  });
});

describe('ageOf', () => {
  const now = Date.parse('2025-01-08T00:00:00.000Z');

  it.each([
    ['2025-01-07T23:59:30.000Z', 'less than a minute'],
    ['2025-01-07T23:55:00.000Z', '5 minutes'],
    ['2025-01-07T21:00:00.000Z', '3 hours'],
    ['2025-01-05T00:00:00.000Z', '3 days'],
    // a clock a little behind the backend's
    ['2025-01-08T00:00:05.000Z', 'less than a minute'],
    ['not a date', ''],
  ])('says %s as %s', (createdAt, text) => {
    expect(ageOf(createdAt, now)).toBe(text);
  });
});

describe('describeDeletion', () => {
  const [bucket] = managedResources;

  it('says the real resource is deleted with the delete policy', () => {
    expect(describeDeletion(bucket)).toBe(
      'Its deletion policy is delete: Paasport deletes S3 bucket acme-payments-checkout-receipts, with its data, and releases its quota. This cannot be undone.',
    );
  });

  it('says the real resource stays with the orphan policy', () => {
    expect(describeDeletion({ ...bucket, deletionPolicy: 'orphan' })).toMatch(
      /^Its deletion policy is orphan: S3 bucket acme-payments-checkout-receipts is left in place/,
    );
  });

  it('says nothing can be deleted with the protect policy', () => {
    expect(describeDeletion({ ...bucket, deletionPolicy: 'protect' })).toMatch(
      /^Its deletion policy is protect: Paasport refuses to delete/,
    );
  });

  it('says a request waiting for an approval is only withdrawn', () => {
    expect(describeDeletion({ ...bucket, phase: 'pending-approval' })).toMatch(
      /withdraws the request/,
    );
  });
});
