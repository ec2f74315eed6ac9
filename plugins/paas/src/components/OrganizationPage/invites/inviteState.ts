import type { InviteCode } from '@paasport/plugin-paas-common';

/** Whether an invite code can still be redeemed, and if not, why. */
export type InviteState = 'active' | 'expired' | 'revoked' | 'used up';

/** The state of an invite code at `now`; revocation wins over the other reasons. */
export function inviteState(
  invite: InviteCode,
  now: number = Date.now(),
): InviteState {
  if (invite.revokedAt) {
    return 'revoked';
  }
  if (invite.uses >= invite.maxUses) {
    return 'used up';
  }
  if (Date.parse(invite.expiresAt) <= now) {
    return 'expired';
  }
  return 'active';
}
