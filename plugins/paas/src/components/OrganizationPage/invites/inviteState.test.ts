import type { InviteCode } from '@paasport/plugin-paas-common';
import { inviteState } from './inviteState';

const now = Date.parse('2025-01-05T00:00:00Z');
const invite: InviteCode = {
  id: 'inv-1',
  organization: 'acme-payments',
  role: 'developer',
  maxUses: 10,
  uses: 3,
  expiresAt: '2025-01-06T00:00:00.000Z',
  createdBy: 'user:default/ada',
  createdAt: '2025-01-03T00:00:00.000Z',
};

describe('inviteState', () => {
  it.each<[string, Partial<InviteCode>, string]>([
    ['usable', {}, 'active'],
    ['past its expiry', { expiresAt: '2025-01-04T00:00:00.000Z' }, 'expired'],
    ['out of uses', { uses: 10 }, 'used up'],
    ['revoked', { revokedAt: '2025-01-04T00:00:00.000Z' }, 'revoked'],
    [
      'revoked and expired',
      {
        revokedAt: '2025-01-04T00:00:00.000Z',
        expiresAt: '2025-01-04T00:00:00.000Z',
      },
      'revoked',
    ],
  ])('calls a code %s %s', (_, change, state) => {
    expect(inviteState({ ...invite, ...change }, now)).toBe(state);
  });
});
